package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.agent.HeartbeatTap.Received;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalClusterExtension.class)
class BrokerOutageIT {
    private static final long INTERVAL_MS = 200;
    private static final long DELIVERY_TIMEOUT_MS = 1000;

    @Test
    void shouldKeepTickingDropStaleHeartbeatsAndRecoverWithoutFloodWhenBrokerRestarts(
            TestCluster cluster, @TempDir Path storage) throws Exception {
        // given
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("host.id", "compute-outage");
        values.put("storage.root", storage.toString());
        MemberAgentConfig config = new MemberAgentConfig(values);

        try (MemberAgent agent = MemberAgent.start(config, List.of(LocalIdentity.resolve(config)))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.metrics().heartbeatsDelivered() >= 5);
            long sentBefore = agent.metrics().heartbeatsSent();
            long storageBefore = agent.metrics().storageWritesOk();

            // when: the broker is killed (SIGKILL) and started again on the same port
            long outageStart = System.nanoTime();
            cluster.restartBroker();
            long outageMillis = (System.nanoTime() - outageStart) / 1_000_000;
            long sentDuringOutage = agent.metrics().heartbeatsSent() - sentBefore;
            long storageDuringOutage = agent.metrics().storageWritesOk() - storageBefore;
            long recoveredAtMillis = System.currentTimeMillis();

            // then: the heartbeat loop never stalled, storage kept going, and stale heartbeats were dropped
            assertThat(outageMillis).isGreaterThan(2 * DELIVERY_TIMEOUT_MS);
            assertThat(sentDuringOutage).isGreaterThanOrEqualTo(outageMillis / INTERVAL_MS / 2);
            assertThat(storageDuringOutage).isGreaterThanOrEqualTo(outageMillis / INTERVAL_MS / 2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> agent.metrics().heartbeatsDropped(AgentMetrics.DropReason.TIMEOUT) > 0);

            // and heartbeats flow again after recovery
            long deliveredAfter = agent.metrics().heartbeatsDelivered();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> agent.metrics().heartbeatsDelivered() >= deliveredAfter + 10);

            try (HeartbeatTap tap = AgentFixture.tap(cluster, topic)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> tap.of("compute-outage").stream()
                                .anyMatch(r -> r.heartbeat().getSentAt().toEpochMilli() > recoveredAtMillis + 1000));
                List<Received> received = tap.of("compute-outage");

                // no heartbeat older than the delivery timeout was appended: nothing stale was flooded in
                assertThat(received)
                        .allSatisfy(
                                r -> assertThat(r.ageAtAppendMillis()).isLessThanOrEqualTo(DELIVERY_TIMEOUT_MS + 500));
                // idempotent producer: no duplicates, no reordering; the outage shows as a gap
                List<Long> sequences =
                        received.stream().map(r -> r.heartbeat().getSequence()).toList();
                assertThat(sequences).doesNotHaveDuplicates().isSorted();
                long gaps = 0;
                for (int i = 1; i < sequences.size(); i++) {
                    gaps += sequences.get(i) - sequences.get(i - 1) - 1;
                }
                assertThat(gaps).isGreaterThanOrEqualTo((outageMillis - 2 * DELIVERY_TIMEOUT_MS) / INTERVAL_MS / 2);
            }
        }
    }
}
