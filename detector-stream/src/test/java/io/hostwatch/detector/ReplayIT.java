package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.detector.replay.Replayer;
import io.hostwatch.runtime.cli.HostwatchCli;
import io.hostwatch.runtime.cli.NoOptions;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A scenario run live, then replayed from the recorded topics: the transitions must be the same, field by field. */
@ExtendWith(LocalClusterExtension.class)
class ReplayIT {
    private static final ObjectMapper JSON = new ObjectMapper();

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

            // and --host tells compute-a's story: the gap, the probe, the prober's answer and the rule of the verdict
            ByteArrayOutputStream story = new ByteArrayOutputStream();
            assertThat(cli(story, new ByteArrayOutputStream())
                            .execute(replayArgs(file, from, to, "--host", "compute-a", "--format", "jsonl")))
                    .isZero();
            List<JsonNode> events =
                    jsonLines(story).stream().map(ReplayIT::parse).toList();
            assertThat(events)
                    .allSatisfy(e -> assertThat(e.get("host").asText()).isEqualTo("compute-a"));
            assertThat(events)
                    .extracting(e -> e.get("event").asText())
                    .containsSubsequence("heartbeat", "probe-request", "probe-result", "verdict", "heartbeat-gap");
            JsonNode answer = events.stream()
                    .filter(e -> e.get("event").asText().equals("probe-result"))
                    .findFirst()
                    .orElseThrow();
            assertThat(answer.get("prober").asText()).isEqualTo("prober-a");
            assertThat(answer.get("ping").asText()).isEqualTo("FAILED");
            assertThat(answer.get("storage").asText()).isEqualTo("STALE");
            JsonNode dead = events.stream()
                    .filter(e -> e.get("event").asText().equals("verdict")
                            && e.get("state").asText().equals("DEAD"))
                    .findFirst()
                    .orElseThrow();
            assertThat(dead.get("reason").asText()).isEqualTo("HARDWARE_FAILURE_OR_SHUTDOWN");
            assertThat(dead.get("rule").asText()).isEqualTo("PING_FAILED_STORAGE_STALE");
            assertThat(dead.get("probers").asText()).isEqualTo("prober-a");
            assertThat(dead.get("guard").get("holding").asBoolean()).isFalse();
            assertThat(dead.get("guard").has("known")).isTrue();
            ByteArrayOutputStream table = new ByteArrayOutputStream();
            assertThat(cli(table, new ByteArrayOutputStream())
                            .execute(replayArgs(file, from, to, "--host", "compute-a")))
                    .isZero();
            assertThat(table.toString(StandardCharsets.UTF_8))
                    .contains("prober-a: ping FAILED, storage STALE")
                    .contains("RUNNING -> DEAD HARDWARE_FAILURE_OR_SHUTDOWN, rule PING_FAILED_STORAGE_STALE");

            // and --diff with a 60 s timeout lists exactly the recorded verdicts after the first heartbeats: by hand,
            // no silence in this window lasts 60 s, so every verdict but HEARTBEATING disappears and none appears
            ByteArrayOutputStream diff = new ByteArrayOutputStream();
            assertThat(cli(diff, new ByteArrayOutputStream())
                            .execute(replayArgs(
                                    file,
                                    from,
                                    to,
                                    "--set",
                                    "heartbeat.timeout.ms=60000",
                                    "--diff",
                                    "--format",
                                    "jsonl")))
                    .isZero();
            List<HostState> gone = recorded.stream()
                    .filter(s -> s.getReason() != StateReason.HEARTBEATING)
                    .sorted(Comparator.comparing(HostState::getObservedAt).thenComparing(HostState::getHost))
                    .toList();
            assertThat(gone).isNotEmpty();
            List<JsonNode> lines = jsonLines(diff).stream().map(ReplayIT::parse).toList();
            assertThat(lines).hasSize(gone.size() + 1);
            for (int i = 0; i < gone.size(); i++) {
                JsonNode line = lines.get(i);
                assertThat(line.get("host").asText()).isEqualTo(gone.get(i).getHost());
                assertThat(line.get("at").asText())
                        .isEqualTo(gone.get(i).getObservedAt().toString());
                assertThat(line.get("before").get("state").asText())
                        .isEqualTo(gone.get(i).getState().name());
                assertThat(line.get("before").get("reason").asText())
                        .isEqualTo(gone.get(i).getReason().name());
                assertThat(line.get("after").isNull()).isTrue();
            }
            JsonNode summary = lines.get(gone.size());
            assertThat(summary.get("differing").asInt()).isEqualTo(gone.size());
            assertThat(summary.get("onlyBefore").asInt()).isEqualTo(gone.size());
            assertThat(summary.get("onlyAfter").asInt()).isZero();
            assertThat(summary.get("onlyBeforeByState").get("DEAD").asInt()).isEqualTo(1);

            // and the incident summary counts the verdicts per state and reason
            ByteArrayOutputStream incident = new ByteArrayOutputStream();
            assertThat(cli(incident, new ByteArrayOutputStream())
                            .execute(replayArgs(file, from, to, "--format", "summary")))
                    .isZero();
            assertThat(incident.toString(StandardCharsets.UTF_8))
                    .contains(recorded.size() + " transitions")
                    .containsPattern("DEAD HARDWARE_FAILURE_OR_SHUTDOWN +1")
                    .containsPattern("compute-a +DEAD +HARDWARE_FAILURE_OR_SHUTDOWN")
                    .containsPattern("compute-b +UNKNOWN +PROBE_INCONCLUSIVE");
        }
    }

    private static List<String> jsonLines(ByteArrayOutputStream printed) {
        return printed.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(line -> !line.isBlank())
                .toList();
    }

    private static HostwatchCli<NoOptions, DetectorConfig> cli(ByteArrayOutputStream printed) {
        return cli(printed, new ByteArrayOutputStream());
    }

    private static HostwatchCli<NoOptions, DetectorConfig> cli(
            ByteArrayOutputStream printed, ByteArrayOutputStream errors) {
        return new HostwatchCli<>(
                new DetectorApp(),
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8),
                Map.of());
    }

    private static String[] replayArgs(Path file, Instant from, Instant to, String... more) {
        List<String> args = new ArrayList<>(
                List.of("replay", "--config", file.toString(), "--from", from.toString(), "--to", to.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, Map<String, String> values) throws IOException {
        Properties props = new Properties();
        props.putAll(values);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, null);
        }
        return file;
    }

    @Test
    void shouldExitTwoWithTheReasonWhenTheWindowCannotBeReplayed(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 1)) {
            // given: a few seconds of one host's heartbeats, no detector
            Path file = write(scratch.resolve("bad.properties"), harness.configValues(Map.of()));
            Instant from = Instant.now();
            harness.startHeartbeats("compute-x", null);
            TopicPartition heartbeats =
                    new TopicPartition(harness.topics.heartbeats().name(), 0);
            Admin admin = cluster.admin();
            await().atMost(Duration.ofSeconds(30)).until(() -> endOffset(admin, heartbeats) >= 6);
            Instant to = Instant.now();

            // when / then: a window before any data
            assertExitTwo(
                    replayArgs(file, Instant.parse("2001-01-01T00:00:00Z"), Instant.parse("2001-01-01T00:10:00Z")),
                    "No heartbeats, probe results or ticks between 2001-01-01T00:00:00Z");
            // a topic missing
            assertExitTwo(
                    replayArgs(file, from, to, "--set", "topic.prefix=missing-" + harness.prefix),
                    "Topic missing-" + harness.prefix);
            // a window that starts before what retention kept
            harness.stopHeartbeats("compute-x");
            long keepFrom = endOffset(admin, heartbeats) - 2;
            admin.deleteRecords(Map.of(heartbeats, RecordsToDelete.beforeOffset(keepFrom)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            assertExitTwo(replayArgs(file, from, to), "deleted by retention");
        }
    }

    private static long endOffset(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                .partitionResult(tp)
                .get(30, TimeUnit.SECONDS)
                .offset();
    }

    private static void assertExitTwo(String[] args, String reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(cli(out, err).execute(args)).as(String.join(" ", args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Cannot replay: ")
                .contains(reason);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
