package io.hostwatch.detector;

import io.hostwatch.runtime.config.ConfigSource;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code detector-stream [run] --config FILE}: runs a detector instance until SIGTERM/SIGINT.
 * {@code detector-stream replay --from T1 --to T2}: prints the host-state transitions recorded input of a window
 * produces, without touching live topics. Exit codes: 0 clean stop, 1 runtime failure, 2 bad usage or config.
 */
@Command(
        name = "detector-stream",
        mixinStandardHelpOptions = true,
        description = "hostwatch detector: host failure detection on Kafka Streams.",
        subcommands = {DetectorApp.Run.class, ReplayCommand.class, DetectorApp.ConfigDocs.class})
public final class DetectorApp implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorApp.class);

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Properties file (HOSTWATCH_* environment variables override it). Same as 'run --config'.")
    Path config;

    public static void main(String... args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code, without exiting (tests call this). */
    public static int execute(String... args) {
        return new CommandLine(new DetectorApp()).execute(args);
    }

    /** As {@link #execute(String...)}, writing what the command prints to {@code out}. */
    static int execute(PrintWriter out, String... args) {
        return new CommandLine(new DetectorApp()).setOut(out).execute(args);
    }

    @Override
    public Integer call() {
        Run run = new Run();
        run.config = config;
        return run.call();
    }

    /** Loads and validates the configuration; a bad one is reported on stderr. */
    static DetectorConfig loadConfig(Path file, Map<String, String> overrides, PrintWriter err) {
        try {
            Map<String, String> values = new HashMap<>(ConfigSource.load(file, System.getenv()));
            values.putAll(overrides);
            return new DetectorConfig(values);
        } catch (ConfigException e) {
            err.println("Invalid configuration: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a detector instance (default).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "Properties file; HOSTWATCH_* env overrides.")
        Path config;

        @Override
        public Integer call() {
            PrintWriter err = new PrintWriter(System.err, true);
            DetectorConfig detectorConfig = loadConfig(config, Map.of(), err);
            if (detectorConfig == null) {
                return 2;
            }
            DetectorRuntime runtime;
            try {
                runtime = DetectorRuntime.start(detectorConfig);
            } catch (KafkaException | IllegalStateException | UncheckedIOException e) {
                LOG.error("Detector failed to start: {}", e.getMessage(), e);
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            AtomicBoolean signalled = new AtomicBoolean();
            Thread hook = new Thread(
                    () -> {
                        signalled.set(true);
                        LOG.info("Shutdown requested");
                        runtime.close();
                        stopped.countDown();
                    },
                    "detector-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            KafkaStreams.State end = runtime.terminated().join();
            if (!signalled.get()) {
                // Streams died on its own (not by signal): stop the rest and report failure
                Runtime.getRuntime().removeShutdownHook(hook);
                runtime.close();
                LOG.error("Kafka Streams ended in state {}", end);
                return 1;
            }
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    @Command(
            name = "config-docs",
            mixinStandardHelpOptions = true,
            description = "Print every configuration key with its type, default and meaning.")
    static final class ConfigDocs implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintWriter out = new PrintWriter(System.out, true);
            out.println(DetectorConfig.configDef().toRst());
            return 0;
        }
    }
}
