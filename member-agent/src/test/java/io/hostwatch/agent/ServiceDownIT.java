package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.agent.HeartbeatTap.Received;
import io.hostwatch.agent.isolation.SilentAddress;
import io.hostwatch.agent.service.ServiceDownGate;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
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
 * The watched service is a real process named by a pidfile; the test kills it and starts another. The isolation
 * address never answers, so only the agent's own silence could make it look isolated, which it must not.
 */
@ExtendWith(LocalClusterExtension.class)
class ServiceDownIT {
    private static final String HOST = "compute-svc";

    @Test
    void shouldSendDownThenFallSilentThenResumeWhenServiceComesBack(TestCluster cluster, @TempDir Path dir)
            throws Exception {
        // given
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Path storage = Files.createDirectory(dir.resolve("storage"));
        Path pidfile = dir.resolve("nova-compute.pid");
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("host.id", HOST);
        values.put("storage.root", storage.toString());
        values.put("service.check", "pidfile");
        values.put("service.check.pidfile", pidfile.toString());
        values.put("service.check.interval.ms", "100");
        values.put("service.down.grace.ms", "1000");
        values.put("isolation.check.method", "tcp");
        values.put("isolation.check.interval.ms", "200");
        values.put("isolation.check.timeout.ms", "200");
        values.put("isolation.timeout.ms", "3000");
        Process service = startService(pidfile);
        Process restarted = null;

        try (SilentAddress silentAddress = SilentAddress.open();
                HeartbeatTap tap = AgentFixture.tap(cluster, topic);
                MemberAgent agent = start(values, silentAddress)) {
            HostAgent host = agent.hosts().get(0);
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            tap.of(HOST).stream().anyMatch(r -> r.heartbeat().getServiceStatus() == ServiceStatus.OK));

            // when: the service crashes
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            // then: DOWN heartbeats for the grace period, then silence on the network and on storage
            await().atMost(Duration.ofSeconds(10)).until(() -> host.phase() == ServiceDownGate.Phase.STOPPED);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> tap.of(HOST).stream()
                            .anyMatch(r -> r.heartbeat().getServiceStatus() == ServiceStatus.DOWN));
            long silentFrom = tap.of(HOST).size();
            long storageSequence = storageSequence(storage);
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> tap.of(HOST).size() <= silentFrom + 1 && storageSequence(storage) == storageSequence);
            List<Received> down = tap.of(HOST).stream()
                    .filter(r -> r.heartbeat().getServiceStatus() == ServiceStatus.DOWN)
                    .toList();
            assertThat(down.size())
                    .as("DOWN heartbeats in a 1 s grace at 200 ms")
                    .isBetween(3, 8);
            Received last = tap.of(HOST).get(tap.of(HOST).size() - 1);
            assertThat(last.heartbeat().getServiceStatus()).isEqualTo(ServiceStatus.DOWN);
            // nothing is acknowledged because nothing is sent: that is no reason to declare isolation
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> !agent.isolated());

            // when: the service is back (new process, new pid)
            restarted = startService(pidfile);

            // then: heartbeats resume with OK, same agent instance, sequence and storage sequence moving on
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tap.of(HOST).stream()
                            .skip(silentFrom)
                            .anyMatch(r -> r.heartbeat().getServiceStatus() == ServiceStatus.OK));
            Received resumed = tap.of(HOST).stream()
                    .skip(silentFrom)
                    .filter(r -> r.heartbeat().getServiceStatus() == ServiceStatus.OK)
                    .findFirst()
                    .orElseThrow();
            assertThat(resumed.heartbeat().getAgentInstance())
                    .isEqualTo(last.heartbeat().getAgentInstance());
            assertThat(resumed.heartbeat().getSequence())
                    .isGreaterThan(last.heartbeat().getSequence());
            await().atMost(Duration.ofSeconds(5)).until(() -> storageSequence(storage) > storageSequence);
            assertThat(host.phase()).isEqualTo(ServiceDownGate.Phase.RUNNING);
        } finally {
            service.destroyForcibly();
            if (restarted != null) {
                restarted.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static MemberAgent start(Map<String, String> values, SilentAddress isolationAddress) throws Exception {
        values.put("isolation.addresses", isolationAddress.address().toString());
        MemberAgentConfig config = new MemberAgentConfig(values);
        return MemberAgent.start(config, List.of(LocalIdentity.resolve(config)));
    }

    private static Process startService(Path pidfile) throws Exception {
        Process process = new ProcessBuilder("sleep", "300").start();
        Files.writeString(pidfile, process.pid() + "\n");
        return process;
    }

    private static long storageSequence(Path storage) throws Exception {
        return StorageHeartbeat.parse(Files.readAllBytes(StorageHeartbeat.file(storage, HOST)))
                .storageSequence();
    }
}
