package io.hostwatch.runtime.cli;

import io.hostwatch.runtime.config.ClusterConfig;
import io.hostwatch.runtime.config.ConfigSource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The one command line of every hostwatch app: {@code <app> [run] --config FILE}, {@code check-config},
 * {@code config-docs}, {@code config-template}, {@code version}, plus the app's own subcommands. Exit codes are
 * {@link ExitCode}'s; configuration comes from the file, then {@code HOSTWATCH_*} environment variables. An app
 * supplies only what differs ({@link CliApp}); its {@code main} hands the process's console and environment to a
 * {@code HostwatchCli} and exits with what {@link #execute} returns.
 */
public final class HostwatchCli<O, C> {
    private static final Logger LOG = LoggerFactory.getLogger(HostwatchCli.class);

    private final CliApp<O, C> app;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final StopSignals signals;

    public HostwatchCli(CliApp<O, C> app, PrintStream out, PrintStream err, Map<String, String> env) {
        this(app, out, err, env, StopSignals.jvm());
    }

    public HostwatchCli(
            CliApp<O, C> app, PrintStream out, PrintStream err, Map<String, String> env, StopSignals signals) {
        this.app = app;
        this.out = new PrintWriter(out, true, StandardCharsets.UTF_8);
        this.err = new PrintWriter(err, true, StandardCharsets.UTF_8);
        this.env = Map.copyOf(env);
        this.signals = signals;
    }

    /** Runs the command line and returns the exit code; never exits the JVM. */
    public int execute(String... args) {
        CommandLine commandLine = commandLine();
        String[] rewritten =
                LegacyArguments.rewrite(args, commandLine.getSubcommands().keySet(), app.name(), this::warn);
        return commandLine.execute(rewritten);
    }

    private CommandLine commandLine() {
        CommandLine top = new CommandLine(new TopCommand());
        top.getCommandSpec().name(app.name());
        top.getCommandSpec().usageMessage().description(app.description());
        top.getCommandSpec().version(version());
        top.addSubcommand(withOptions(new CommandLine(new RunCommand(this))));
        top.addSubcommand(withOptions(new CommandLine(new CheckConfigCommand(this))));
        top.addSubcommand(new CommandLine(new ConfigDocsCommand(this)));
        top.addSubcommand(new CommandLine(new ConfigTemplateCommand(this)));
        top.addSubcommand(new CommandLine(new VersionCommand(this)));
        top.addSubcommand(new CommandLine(new KeysCommand()));
        app.extraSubcommands(this::load).forEach(top::addSubcommand);
        top.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(version()));
        top.getCommandSpec()
                .usageMessage()
                .footer(
                        "",
                        "Without a subcommand, 'run' is meant: '" + app.name() + " --config FILE' = '" + app.name()
                                + " run --config FILE'.",
                        "Every config key can also be set in the environment: HOSTWATCH_FOO_BAR_MS sets foo.bar.ms "
                                + "and wins over the file.",
                        "Exit codes: 0 ok or stopped on request, 1 runtime failure, 2 bad usage or configuration "
                                + "(the message names the key).");
        // set last: these reach only the subcommands added before
        top.setOut(out);
        top.setErr(err);
        top.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e));
        return top;
    }

    private CommandLine withOptions(CommandLine subcommand) {
        O options = app.newOptions();
        subcommand.addMixin("options", options);
        ((OptionsHolder) subcommand.getCommand()).options(options);
        return subcommand;
    }

    /** The exit code of an exception out of a subcommand. */
    private int failed(Exception e) {
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            err.println(app.name() + ": invalid configuration: " + e.getMessage());
            return ExitCode.USAGE;
        }
        LOG.error("{} failed", app.name(), e);
        err.println(app.name() + ": failed: " + e);
        return ExitCode.FAILED;
    }

    /**
     * The file, then the environment, then {@code overrides}; renamed keys are taken under their old name with a
     * warning, and keys of the file the app does not know are warned about (typos).
     */
    C load(Path file, Map<String, String> overrides, O options) {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            Map<String, String> fromFile = app.renamedKeys().apply(ConfigSource.readFile(file), this::warn);
            warnUnknown(fromFile.keySet());
            values.putAll(fromFile);
        }
        values.putAll(app.renamedKeys().apply(ConfigSource.fromEnvironment(env), this::warn));
        values.putAll(app.renamedKeys().apply(overrides, this::warn));
        return app.configure(values, options);
    }

    private C load(Path file, Map<String, String> overrides) {
        return load(file, overrides, app.newOptions());
    }

    private void warnUnknown(Set<String> keys) {
        Set<String> unknown = new TreeSet<>(keys);
        unknown.removeAll(app.configDef().names());
        unknown.removeIf(key -> key.startsWith(ClusterConfig.KAFKA_PREFIX));
        unknown.forEach(key -> warn("config key " + key + " is not one of " + app.name() + "'s: ignored (typo?)"));
    }

    void warn(String message) {
        LOG.warn("{}", message);
        err.println(app.name() + ": warning: " + message);
    }

    /** {@code run}: starts the service and waits until it is asked to stop or ends on its own. */
    int run(Path file, O options) {
        Thread.setDefaultUncaughtExceptionHandler(
                (thread, e) -> LOG.error("Uncaught exception in thread {}", thread.getName(), e));
        C config = load(file, Map.of(), options);
        Running running;
        try {
            running = app.start(config);
        } catch (ConfigException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILED;
        } catch (Exception e) {
            LOG.error("{} could not start", app.name(), e);
            err.println(app.name() + ": could not start: " + e.getMessage());
            return ExitCode.FAILED;
        }
        return awaitEnd(running);
    }

    private int awaitEnd(Running running) {
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        CompletableFuture<Stopped> ended = running.stoppedByItself().toCompletableFuture();
        try (StopSignals.Registration registration = signals.onStop(() -> {
            stopRequested.complete(null);
            closed.join();
        })) {
            // The service is closed here, on the caller's thread, never on a thread of the service itself (closing
            // Kafka Streams from its own state listener would deadlock).
            CompletableFuture.anyOf(stopRequested, ended).join();
            try {
                running.close();
            } finally {
                closed.complete(null);
            }
            if (stopRequested.isDone()) {
                LOG.info("{} stopped", app.name());
                return ExitCode.OK;
            }
            Stopped stopped = ended.join();
            LOG.error("{} stopped by itself: {}", app.name(), stopped.reason());
            err.println(app.name() + ": " + stopped.reason());
            return stopped.exitCode();
        }
    }

    int checkConfig(Path file, O options) {
        C config = load(file, Map.of(), options);
        out.println(app.name() + ": configuration OK: " + app.summary(config));
        return ExitCode.OK;
    }

    CliApp<O, C> app() {
        return app;
    }

    PrintWriter out() {
        return out;
    }

    /** {@code <name> <version>} from the jar manifest of the app's package. */
    String version() {
        String version = app.getClass().getPackage().getImplementationVersion();
        return app.name() + " " + (version == null ? "(development build)" : version);
    }
}
