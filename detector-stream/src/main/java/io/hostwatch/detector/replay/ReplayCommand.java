package io.hostwatch.detector.replay;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.runtime.cli.ConfigLoader;
import io.hostwatch.runtime.cli.ExitCode;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.topics.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hostwatch-detector replay --from T1 --to T2 [--set key=value ...] [--diff] [--host H]
 * [--format table|jsonl|summary] [--progress]}: what the detector decides for the recorded heartbeats, ticks and probe
 * results of a window, with the live or an altered config.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Replay recorded input of a time window through the detector and print the transitions, one "
                + "host's story (--host) or what a changed config would change (--set ... --diff). Reads with a plain "
                + "consumer (no group), writes nothing. Exit 2 for a window with no data, beyond retention or a "
                + "missing topic.")
public final class ReplayCommand implements Callable<Integer> {
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

    @Option(
            names = "--diff",
            description = "Replay twice, with the recorded config and with the --set changes, and print only the "
                    + "verdicts that differ.")
    boolean diff;

    @Option(names = "--host", paramLabel = "HOST", description = "Print this host's story instead of all transitions.")
    String host;

    @Option(
            names = "--format",
            defaultValue = "table",
            description = "table, jsonl or summary (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
            names = "--progress",
            description = "Show progress on stderr (shown anyway when the terminal is interactive).")
    boolean progress;

    public ReplayCommand(ConfigLoader<DetectorConfig> loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayFormat fmt;
        try {
            fmt = ReplayFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("--format must be table, jsonl or summary, not " + format);
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
        if (diff && overrides.isEmpty()) {
            err.println("--diff compares against --set changes: give at least one --set KEY=VALUE");
            return ExitCode.USAGE;
        }
        if (diff && host != null) {
            err.println("--diff and --host cannot be combined");
            return ExitCode.USAGE;
        }
        // a bad config is a ConfigException naming the key: the scaffold reports it and exits 2
        DetectorConfig changed = loader.load(config, overrides);
        DetectorConfig recorded = diff ? loader.load(config, Map.of()) : changed;
        boolean showProgress = progress || System.console() != null;
        try {
            Topics topics = Topics.create(
                    changed.cluster().topics(),
                    SchemaRegistryClients.forUrl(changed.cluster().schemaRegistryUrl()));
            if (diff) {
                VerdictDiff.Run before = new VerdictDiff.Run();
                VerdictDiff.Run after = new VerdictDiff.Run();
                long read = run(recorded, topics, start, end, before, showProgress ? err : null, "recorded config: ");
                run(changed, topics, start, end, after, showProgress ? err : null, "changed config:  ");
                VerdictDiff.print(out, VerdictDiff.compare(before, after), overrides, fmt == ReplayFormat.JSONL);
                err.println("Replayed " + read + " records twice");
            } else if (host != null) {
                HostStory story = new HostStory(
                        host, topics.heartbeats().name(), topics.probeResults().name(), out, fmt == ReplayFormat.JSONL);
                long read = run(changed, topics, start, end, story, showProgress ? err : null, "");
                story.finish(end.toEpochMilli());
                err.println("Replayed " + read + " records, " + story.events() + " events of " + host);
            } else if (fmt == ReplayFormat.SUMMARY) {
                IncidentSummary summary = new IncidentSummary();
                long read = run(changed, topics, start, end, summary, showProgress ? err : null, "");
                summary.print(out, false);
                err.println("Replayed " + read + " records");
            } else {
                TransitionPrinter printer = new TransitionPrinter(out, fmt == ReplayFormat.JSONL);
                long read = run(changed, topics, start, end, printer, showProgress ? err : null, "");
                out.flush();
                err.println("Replayed " + read + " records, " + printer.transitions() + " transitions");
            }
            out.flush();
            return ExitCode.OK;
        } catch (ReplayWindowException e) {
            err.println("Cannot replay: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (KafkaException e) {
            err.println("Replay failed: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    private static long run(
            DetectorConfig config,
            Topics topics,
            Instant start,
            Instant end,
            ReplayObserver observer,
            PrintWriter progressTo,
            String label) {
        try (ReplayWindow window = ReplayWindow.open(config, topics, start, end)) {
            if (progressTo == null) {
                return Replayer.replay(config, topics, window, observer);
            }
            ReplayProgress bar = new ReplayProgress(progressTo, window.total(), label);
            long[] read = {0};
            Iterator<ConsumerRecord<byte[], byte[]>> counted = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return window.hasNext();
                }

                @Override
                public ConsumerRecord<byte[], byte[]> next() {
                    if ((++read[0] & 4095) == 0) {
                        bar.update(read[0]);
                    }
                    return window.next();
                }
            };
            long replayed = Replayer.replay(config, topics, counted, observer);
            bar.done(replayed);
            return replayed;
        }
    }

    static Instant parseInstant(String value) {
        if (value.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        return Instant.parse(value);
    }
}
