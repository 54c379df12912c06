package io.hostwatch.prober;

import io.hostwatch.runtime.config.ConfigSource;
import io.hostwatch.runtime.config.ConfigTemplate;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostwatch-prober --config prober.properties}: answers probe requests until SIGTERM. Configuration comes
 * from the file, then {@code HOSTWATCH_*} environment variables ({@code HOSTWATCH_PROBE_DEADLINE_MS} sets
 * {@code probe.deadline.ms}). Exit codes: 0 after a clean shutdown, 1 if the prober failed, 2 on bad configuration
 * or usage.
 */
@Command(
        name = "hostwatch-prober",
        mixinStandardHelpOptions = true,
        versionProvider = ProberApp.Version.class,
        description = "Answers hostwatch probe requests with ping and storage-heartbeat evidence.")
public final class ProberApp implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ProberApp.class);
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_CONFIG = 2;
    private static final String TEMPLATE_HEADER = "# hostwatch prober configuration (hostwatch-prober --config FILE).\n"
            + "# Every key can also come from the environment: HOSTWATCH_PROBE_DEADLINE_MS sets probe.deadline.ms; the\n"
            + "# environment wins over this file. Any other kafka.* key is passed to the Kafka clients unchanged\n"
            + "# (e.g. kafka.security.protocol).\n";

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description =
                    "Properties file (keys: see --describe-config). Environment variables HOSTWATCH_* override it.")
    private Path configFile;

    @Option(names = "--describe-config", description = "Print every configuration key with its default and exit.")
    private boolean describeConfig;

    @Option(names = "--config-template", description = "Print a commented properties file with every key and exit.")
    private boolean configTemplate;

    @Option(names = "--check-config", description = "Validate the configuration and exit (0 if valid).")
    private boolean checkConfig;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    ProberApp(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String... args) {
        Thread.setDefaultUncaughtExceptionHandler(
                (thread, error) -> LOG.error("Uncaught exception in thread {}", thread.getName(), error));
        System.exit(run(System.getenv(), System.out, System.err, args));
    }

    static int run(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        CommandLine commandLine = new CommandLine(new ProberApp(env, out, err));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        if (describeConfig) {
            out.println(ProberConfig.describe());
            return EXIT_OK;
        }
        if (configTemplate) {
            out.print(ConfigTemplate.render(TEMPLATE_HEADER, ProberConfig.definition()));
            return EXIT_OK;
        }
        ProberConfig config;
        try {
            config = new ProberConfig(ConfigSource.load(configFile, env));
        } catch (ConfigException e) {
            err.println("Invalid configuration: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (checkConfig) {
            out.println("Configuration valid: " + config.summary());
            return EXIT_OK;
        }
        return serve(config);
    }

    private int serve(ProberConfig config) {
        ProberService service;
        try {
            service = ProberService.start(config);
        } catch (ConfigException e) {
            err.println("Invalid configuration: " + e.getMessage());
            return EXIT_CONFIG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        } catch (RuntimeException e) {
            LOG.error("Prober failed to start", e);
            err.println("Prober failed to start: " + e.getMessage());
            return EXIT_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopRequested = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopRequested.compareAndSet(false, true)) {
                service.close();
                stopped.countDown();
            }
        };
        // SIGTERM/SIGINT stop the service and let main return normally (exit 0, as systemd expects); the shutdown
        // hook covers every other way the JVM can be asked to exit
        handleSignal("TERM", stop);
        handleSignal("INT", stop);
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "prober-shutdown"));
        try {
            service.awaitLoop();
            if (stopRequested.get()) {
                stopped.await();
                return EXIT_OK;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        }
        LOG.error("Probe loop ended unexpectedly; exiting");
        stop.run();
        return EXIT_FAILED;
    }

    @SuppressWarnings("restriction")
    private static void handleSignal(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                LOG.info("Received SIG{}: shutting down", name);
                new Thread(action, "prober-stop-" + name).start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("Cannot handle SIG{}: {}; relying on the shutdown hook", name, e.getMessage());
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ProberApp.class.getPackage().getImplementationVersion();
            return new String[] {"hostwatch-prober " + (version == null ? "(development build)" : version)};
        }
    }
}
