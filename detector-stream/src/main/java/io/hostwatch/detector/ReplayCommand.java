package io.hostwatch.detector;

import io.hostwatch.runtime.cli.ConfigLoader;
import io.hostwatch.runtime.cli.ExitCode;
import io.hostwatch.schema.HostState;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hostwatch-detector replay --from T1 --to T2 [--set key=value ...] [--format table|jsonl]}: what the detector
 * decides for the recorded heartbeats, ticks and probe results of a window, with the live or an altered config.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replay recorded input of a time window through the detector and print the transitions. "
                + "Reads with a plain consumer (no group), writes nothing.")
final class ReplayCommand implements Callable<Integer> {
    private final ConfigLoader<DetectorConfig> loader;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The detector's properties file.")
    Path config;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "T1",
            description = "Window start: ISO-8601 instant (2026-01-02T03:04:05Z) or epoch milliseconds.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "T2", description = "Window end, inclusive.")
    String to;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override a config key for the replay, e.g. --set heartbeat.timeout.ms=5000.")
    Map<String, String> overrides = Map.of();

    @Option(names = "--format", defaultValue = "table", description = "table or jsonl (default: ${DEFAULT-VALUE}).")
    String format;

    ReplayCommand(ConfigLoader<DetectorConfig> loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("table") && !fmt.equals("jsonl")) {
            err.println("--format must be table or jsonl, not " + format);
            return ExitCode.USAGE;
        }
        Instant start;
        Instant end;
        try {
            start = parseInstant(from);
            end = parseInstant(to);
        } catch (DateTimeParseException | NumberFormatException e) {
            err.println("Bad time: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (end.isBefore(start)) {
            err.println("--to is before --from");
            return ExitCode.USAGE;
        }
        // a bad config is a ConfigException naming the key: the scaffold reports it and exits 2
        DetectorConfig detectorConfig = loader.load(config, overrides);
        try {
            Topics topics = Topics.create(
                    detectorConfig.cluster().topics(),
                    SchemaRegistryClients.forUrl(detectorConfig.cluster().schemaRegistryUrl()));
            List<ConsumerRecord<byte[], byte[]>> records = Replayer.readWindow(detectorConfig, topics, start, end);
            Path scratch = Files.createTempDirectory("hostwatch-replay");
            List<HostState> transitions = Replayer.replay(detectorConfig, topics, records, scratch);
            print(out, transitions, fmt);
            err.println("Replayed " + records.size() + " records, " + transitions.size() + " transitions");
            return ExitCode.OK;
        } catch (KafkaException e) {
            err.println("Replay failed: " + e.getMessage());
            return ExitCode.FAILED;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void print(PrintWriter out, List<HostState> transitions, String format) {
        for (HostState s : transitions) {
            if (format.equals("jsonl")) {
                out.println(HostStateJson.toJson(s));
            } else {
                out.printf(
                        Locale.ROOT,
                        "%-24s %-24s %-20s -> %-20s %-28s %s%n",
                        s.getObservedAt(),
                        s.getHost(),
                        s.getPreviousState() == null ? "-" : s.getPreviousState(),
                        s.getState(),
                        s.getReason(),
                        s.getConditions().stream().map(Enum::name).collect(Collectors.joining(",")));
            }
        }
        out.flush();
    }

    static Instant parseInstant(String value) {
        if (value.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        return Instant.parse(value);
    }
}
