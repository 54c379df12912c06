package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class DetectorLiveIT {
    private static List<HostState> of(List<HostState> states, String host) {
        return states.stream().filter(s -> s.getHost().equals(host)).toList();
    }

    @Test
    void shouldClassifyTheOnlyHostOfAPartitionWhenItDies(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 3)) {
            // given: one host on partition 0, one on partition 1, nothing else on partition 0
            String lonely = harness.hostOnPartition("lonely", 0);
            String other = harness.hostOnPartition("other", 1);
            harness.startHeartbeats(lonely, null);
            harness.startHeartbeats(other, null);
            harness.startDetector(harness.config(Map.of()));
            LiveHarness.Reader<HostState> history = harness.history();
            LiveHarness.Reader<ProbeRequest> requests = harness.probeRequests();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(history.values())
                            .extracting(HostState::getHost)
                            .contains(lonely, other));

            // when: the lonely host dies; only ticks advance its partition's stream time
            harness.stopHeartbeats(lonely);
            ProbeRequest request = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> requests.values().stream()
                                    .filter(r -> r.getHost().equals(lonely))
                                    .findFirst()
                                    .orElse(null),
                            r -> r != null);
            harness.answer(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
            harness.answer(request, "prober-b", PingStatus.FAILED, StorageStatus.STALE);

            // then
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(of(history.values(), lonely))
                            .extracting(HostState::getState)
                            .containsExactly(HostStatus.RUNNING, HostStatus.DEAD));
            assertThat(of(history.values(), other))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.RUNNING);
            assertThat(request.getAddress()).isEqualTo("198.18.0.1");
        }
    }

    @Test
    void shouldDeadLetterUndecodableHeartbeatsAndKeepProcessing(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 2)) {
            // given
            harness.startDetector(harness.config(Map.of()));
            LiveHarness.Reader<HostState> history = harness.history();
            LiveHarness.Reader<byte[]> deadLetters =
                    harness.rawReader(harness.topics.deadLetters().name());
            var raw = harness.rawProducer();

            // when: garbage, then a well-formed heartbeat behind it on the same partition
            raw.send(new ProducerRecord<>(
                    harness.topics.heartbeats().name(),
                    0,
                    "broken-host".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            raw.flush();
            String host = harness.hostOnPartition("fine", 0);
            harness.startHeartbeats(host, null);

            // then
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(of(history.values(), host))
                            .extracting(HostState::getReason)
                            .containsExactly(StateReason.HEARTBEATING));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(deadLetters.records()).hasSize(1));
            ConsumerRecord<String, byte[]> letter = deadLetters.records().get(0);
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(new String(
                            letter.headers()
                                    .lastHeader(DeadLetters.SOURCE_TOPIC)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo(harness.topics.heartbeats().name());
            assertThat(new String(
                            letter.headers().lastHeader(DeadLetters.ERROR_CLASS).value(), StandardCharsets.UTF_8))
                    .endsWith("UndecodableRecordException");
        }
    }
}
