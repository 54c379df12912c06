package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.agent.isolation.SilentAddress;
import io.hostwatch.agent.service.ServiceDownGate;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka unreachable (a bootstrap address with nothing behind it) and an isolation address that drops every
 * connection attempt: the agent must declare itself isolated, mark its storage heartbeat, run the response
 * command, and recover by itself when the isolation address answers again. Its storage heartbeat must go on even
 * when the response stops the very service the agent watches.
 */
@ExtendWith(LocalClusterExtension.class)
class SelfIsolationIT {
    private static final String HOST = "compute-iso";

    @Test
    void shouldDeclareIsolationMarkStorageRunResponseAndRecover(TestCluster cluster, @TempDir Path dir)
            throws Exception {
        // given
        Path storage = Files.createDirectory(dir.resolve("storage"));
        Path responses = dir.resolve("responses.log");
        Map<String, String> values = AgentFixture.baseConfig(cluster, cluster.newTopicPrefix());
        values.put("kafka.bootstrap.servers", "127.0.0.1:" + closedPort());
        values.put("host.id", HOST);
        values.put("storage.root", storage.toString());
        values.put("isolation.check.method", "tcp");
        values.put("isolation.check.interval.ms", "200");
        values.put("isolation.check.timeout.ms", "200");
        values.put("isolation.timeout.ms", "1500");
        values.put("isolation.response", "command");
        values.put("isolation.response.command", "echo \"$HOSTWATCH_EVENT $HOSTWATCH_HOSTS\" >> " + responses);
        values.put("isolation.recovery.command", "echo \"$HOSTWATCH_EVENT $HOSTWATCH_HOSTS\" >> " + responses);

        try (SilentAddress silent = SilentAddress.open()) {
            values.put("isolation.addresses", silent.address().toString());
            MemberAgentConfig config = new MemberAgentConfig(values);
            try (MemberAgent agent = MemberAgent.start(config, List.of(LocalIdentity.resolve(config)))) {

                // when: nothing answers for isolation.timeout
                await().atMost(Duration.ofSeconds(15)).until(agent::isolated);

                // then: the marker is in the storage heartbeat, which keeps advancing, and the response ran
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> storageFile(storage).isolated());
                long sequence = storageFile(storage).storageSequence();
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> storageFile(storage).storageSequence() > sequence + 2);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.exists(responses)
                                && Files.readString(responses).contains("isolated " + HOST));
                assertThat(agent.metrics().heartbeatsDelivered()).isZero();

                // when: the isolation address answers again (the listener goes away: the host now refuses, RST)
                silent.close();

                // then: recovered by itself, marker cleared, recovery command ran
                await().atMost(Duration.ofSeconds(10)).until(() -> !agent.isolated());
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> !storageFile(storage).isolated());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.readString(responses).contains("recovered " + HOST));
                assertThat(Files.readAllLines(responses)).containsExactly("isolated " + HOST, "recovered " + HOST);
            }
        }
    }

    @Test
    void shouldKeepStorageHeartbeatMarkedIsolatedWhenIsolationResponseStopsWatchedService(
            TestCluster cluster, @TempDir Path dir) throws Exception {
        // given: the watched service is a real process; the isolation response kills it, as
        // 'systemctl stop nova-compute' would
        Path storage = Files.createDirectory(dir.resolve("storage"));
        Path pidfile = dir.resolve("nova-compute.pid");
        Map<String, String> values = AgentFixture.baseConfig(cluster, cluster.newTopicPrefix());
        values.put("kafka.bootstrap.servers", "127.0.0.1:" + closedPort());
        values.put("host.id", HOST);
        values.put("storage.root", storage.toString());
        values.put("service.check", "pidfile");
        values.put("service.check.pidfile", pidfile.toString());
        values.put("service.check.interval.ms", "100");
        values.put("service.down.grace.ms", "500");
        values.put("isolation.check.method", "tcp");
        values.put("isolation.check.interval.ms", "200");
        values.put("isolation.check.timeout.ms", "200");
        values.put("isolation.timeout.ms", "1500");
        values.put("isolation.response", "command");
        values.put("isolation.response.command", "kill $(cat " + pidfile + ")");
        Process service = new ProcessBuilder("sleep", "300").start();
        Files.writeString(pidfile, service.pid() + "\n");

        try (SilentAddress silent = SilentAddress.open()) {
            values.put("isolation.addresses", silent.address().toString());
            MemberAgentConfig config = new MemberAgentConfig(values);
            try (MemberAgent agent = MemberAgent.start(config, List.of(LocalIdentity.resolve(config)))) {
                HostAgent host = agent.hosts().get(0);

                // when: isolated; the response stops the service; after the grace the gate falls silent
                await().atMost(Duration.ofSeconds(15)).until(agent::isolated);
                assertThat(service.waitFor(10, TimeUnit.SECONDS))
                        .as("isolation response killed the service")
                        .isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> host.phase() == ServiceDownGate.Phase.STOPPED);

                // then: the storage heartbeat keeps advancing, still marked isolated, and the host stays isolated
                long sequence = storageFile(storage).storageSequence();
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> storageFile(storage).storageSequence() > sequence + 3);
                assertThat(storageFile(storage).isolated()).isTrue();
                assertThat(host.phase()).isEqualTo(ServiceDownGate.Phase.STOPPED);
                assertThat(agent.isolated()).isTrue();
            }
        } finally {
            service.destroyForcibly();
        }
    }

    private static StorageHeartbeat storageFile(Path storage) throws Exception {
        return StorageHeartbeat.parse(Files.readAllBytes(StorageHeartbeat.file(storage, HOST)));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
