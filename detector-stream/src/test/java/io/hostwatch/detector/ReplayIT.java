package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.detector.replay.Replayer;
import io.hostwatch.runtime.cli.HostwatchCli;
import io.hostwatch.runtime.cli.NoOptions;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A scenario run live, then replayed from the recorded topics: the transitions must be the same, field by field. */
@ExtendWith(LocalClusterExtension.class)
class ReplayIT {
    @TempDir
    Path scratch;

    private static HostStatus latest(List<HostState> states, String host) {
        HostStatus last = null;
        for (HostState state : states) {
            if (state.getHost().equals(host)) {
                last = state.getState();
            }
        }
        return last;
    }

    @Test
    void shouldReproduceTheRecordedHistoryWhenReplayedWithTheLiveConfig(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 2)) {
            // given: a live run in which one host dies and comes back and another's probe is inconclusive
            Map<String, String> values = harness.configValues(Map.of());
            DetectorConfig config = new DetectorConfig(values);
            Instant from = Instant.now();
            // one failure domain each: two of three silent together would (rightly) trip the mass-failure guard
            harness.startHeartbeats("compute-a", "az-a");
            harness.startHeartbeats("compute-b", "az-b");
            harness.startHeartbeats("compute-c", "az-c");
            harness.startDetector(config);
            LiveHarness.Reader<HostState> history = harness.history();
            LiveHarness.Reader<ProbeRequest> requests = harness.probeRequests();
            await().atMost(Duration.ofSeconds(60)).until(() -> history.values().size() == 3);
            harness.stopHeartbeats("compute-a");
            harness.stopHeartbeats("compute-b");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> requests.values().stream()
                                    .map(ProbeRequest::getHost)
                                    .distinct()
                                    .count()
                            == 2);
            for (ProbeRequest request : requests.values()) {
                if (request.getHost().equals("compute-a")) {
                    harness.answer(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
                } else {
                    harness.answer(request, "prober-a", PingStatus.ERROR, StorageStatus.FRESH);
                }
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(latest(history.values(), "compute-a")).isEqualTo(HostStatus.DEAD);
                assertThat(latest(history.values(), "compute-b")).isEqualTo(HostStatus.UNKNOWN);
            });
            harness.startHeartbeats("compute-a", "az-a");
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() ->
                            assertThat(latest(history.values(), "compute-a")).isEqualTo(HostStatus.RUNNING));
            Instant to = Instant.now();
            List<HostState> recorded = history.values();
            assertThat(recorded)
                    .extracting(HostState::getState)
                    .containsOnly(HostStatus.RUNNING, HostStatus.DEAD, HostStatus.UNKNOWN);

            // when
            List<ConsumerRecord<byte[], byte[]>> input = Replayer.readWindow(config, harness.topics, from, to);
            List<HostState> replayed = Replayer.replay(config, harness.topics, input.iterator());

            // then: the same transitions, host by host, in the same order and with the same fields
            for (String host : Set.of("compute-a", "compute-b", "compute-c")) {
                assertThat(replayed.stream()
                                .filter(s -> s.getHost().equals(host))
                                .toList())
                        .as(host)
                        .isEqualTo(recorded.stream()
                                .filter(s -> s.getHost().equals(host))
                                .toList());
            }

            // and the CLI runs the same replay (and changes its verdict with another config)
            Path file = scratch.resolve("detector.properties");
            Properties props = new Properties();
            props.putAll(values);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                props.store(out, null);
            }
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            assertThat(cli(printed)
                            .execute(
                                    "replay",
                                    "--config",
                                    file.toString(),
                                    "--from",
                                    from.toString(),
                                    "--to",
                                    Long.toString(to.toEpochMilli()),
                                    "--format",
                                    "jsonl"))
                    .isZero();
            assertThat(jsonLines(printed))
                    .isEqualTo(replayed.stream().map(HostStateJson::toJson).toList());
            List<HostState> slower = Replayer.replay(
                    harness.config(Map.of("heartbeat.timeout.ms", "60000")), harness.topics, input.iterator());
            assertThat(slower).extracting(HostState::getState).containsOnly(HostStatus.RUNNING);
            ByteArrayOutputStream overridden = new ByteArrayOutputStream();
            assertThat(cli(overridden)
                            .execute(
                                    "replay",
                                    "--config",
                                    file.toString(),
                                    "--from",
                                    from.toString(),
                                    "--to",
                                    to.toString(),
                                    "--format",
                                    "jsonl",
                                    "--set",
                                    "heartbeat.timeout.ms=60000"))
                    .isZero();
            assertThat(jsonLines(overridden))
                    .isEqualTo(slower.stream().map(HostStateJson::toJson).toList());
        }
    }

    private static List<String> jsonLines(ByteArrayOutputStream printed) {
        return printed.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(line -> !line.isBlank())
                .toList();
    }

    private static HostwatchCli<NoOptions, DetectorConfig> cli(ByteArrayOutputStream printed) {
        return new HostwatchCli<>(
                new DetectorApp(),
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of());
    }
}
