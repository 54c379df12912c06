package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.agent.HeartbeatTap.Received;
import io.hostwatch.local.KafkaBroker;
import io.hostwatch.local.ManagedProcess;
import io.hostwatch.local.OrphanGuard;
import io.hostwatch.local.SchemaRegistry;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.ExternalTools;
import io.hostwatch.testkit.netns.TestHost;
import io.hostwatch.testkit.netns.TestNetwork;
import io.hostwatch.topics.TopicLayout;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's ISOLATED scenario on a real network namespace: the agent process runs inside a test host, reaches
 * the broker and registry over its veth, and pings the machine side of its link as isolation address. Taking the
 * link down inside the namespace must make it declare itself isolated while it keeps writing its storage heartbeat;
 * bringing it back must end it. Needs root, {@code ip} and {@code ping} ({@link ExternalTools}).
 */
class NamespaceIsolationIT {
    private static final Path JAR =
            Path.of("target", "hostwatch-member-agent-0.1.0-SNAPSHOT.jar").toAbsolutePath();
    private static final String HOST = "ns-agent";

    @Test
    void shouldDeclareIsolationWhenLinkGoesDownAndRecoverWhenItComesBack(@TempDir Path dir) throws Exception {
        ExternalTools.system().requireTestHosts();
        ExternalTools.system().requireTool("ping");
        Path storage = Files.createDirectory(dir.resolve("storage"));
        Path log = dir.resolve("agent.log");

        try (TestNetwork network = TestNetwork.create(1)) {
            TestHost host = network.addHost(HOST);
            try (KafkaBroker broker = KafkaBroker.start(new KafkaBroker.Settings(
                            dir.resolve("kafka"), network.serviceAddress(), 0, 0, "384m", Map.of()));
                    SchemaRegistry registry = SchemaRegistry.start(
                            new SchemaRegistry.Settings(dir.resolve("registry"), network.serviceAddress(), 0, 0))) {
                String prefix = "ns.";
                TopicLayout layout = new TopicLayout(prefix, AgentFixture.PARTITIONS);
                try (Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                    new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
                            .ensure(layout.specs().stream()
                                    .filter(spec -> spec.name().equals(layout.heartbeats()))
                                    .toList());
                }
                Path config = dir.resolve("agent.properties");
                Files.writeString(
                        config,
                        String.join(
                                "\n",
                                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                                "schema.registry.url=" + registry.url(),
                                "topic.prefix=" + prefix,
                                "topic.partitions=" + AgentFixture.PARTITIONS,
                                "host.id=" + HOST,
                                "storage.root=" + storage,
                                "heartbeat.interval.ms=200",
                                "heartbeat.delivery.timeout.ms=1000",
                                "isolation.addresses=" + host.gatewayAddress(),
                                "isolation.check.method=ping",
                                "isolation.check.interval.ms=200",
                                "isolation.check.timeout.ms=500",
                                "isolation.timeout.ms=2000",
                                ""));

                try (HeartbeatTap tap = new HeartbeatTap(
                                broker.bootstrapServers(),
                                registry.url(),
                                layout.heartbeats(),
                                AgentFixture.PARTITIONS);
                        ManagedProcess agent = host.start(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-Xmx64m",
                                        "-XX:+UseSerialGC",
                                        "-cp",
                                        JAR + File.pathSeparator + codeSource(OrphanGuard.class),
                                        OrphanGuard.class.getName(),
                                        MemberAgentApp.class.getName(),
                                        "--config",
                                        config.toString()),
                                log,
                                Map.of())) {
                    // given: heartbeating over the veth, with the namespace's own address auto-detected
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> tap.of(HOST).size() >= 5);
                    assertThat(tap.of(HOST))
                            .allMatch(r -> r.heartbeat().getAddress().equals(host.address()));

                    // when
                    host.linkDown();
                    long linkDownMillis = System.currentTimeMillis();

                    // then: isolated, and the storage heartbeat it keeps writing says so
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> Files.readString(log).contains("event=isolation.declared"));
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> storageFile(storage).isolated());
                    long sequence = storageFile(storage).storageSequence();
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> storageFile(storage).storageSequence() > sequence + 2);

                    // when
                    host.linkUp();
                    long linkBackMillis = System.currentTimeMillis();

                    // then: recovered by itself, marker cleared, heartbeats flowing again
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> Files.readString(log).contains("event=isolation.recovered"));
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> !storageFile(storage).isolated());
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> tap.of(HOST).stream()
                                    .anyMatch(r -> r.heartbeat().getSentAt().toEpochMilli() > linkBackMillis));
                    // Only the request written to the old connection before the producer gave up on it (request
                    // timeout, ~1 s) may arrive late: TCP retransmits it when the link returns. max.in.flight=1 bounds
                    // that to one request; everything queued behind it expired in the producer.
                    List<Received> late = tap.of(HOST).stream()
                            .filter(r -> r.ageAtAppendMillis() > 1500)
                            .toList();
                    assertThat(late)
                            .hasSizeLessThanOrEqualTo(2)
                            .allMatch(r -> r.heartbeat().getSentAt().toEpochMilli() <= linkDownMillis + 1000);
                    assertThat(agent.isAlive()).isTrue();
                }
            }
        }
    }

    private static StorageHeartbeat storageFile(Path storage) throws Exception {
        return StorageHeartbeat.parse(Files.readAllBytes(StorageHeartbeat.file(storage, HOST)));
    }

    private static String codeSource(Class<?> type) throws java.net.URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
