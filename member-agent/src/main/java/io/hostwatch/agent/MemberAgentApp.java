package io.hostwatch.agent;

import io.hostwatch.config.ConfigSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code member-agent --config FILE [--simulate N]}: runs the agent until SIGTERM/SIGINT. Exit codes: 0 stopped
 * normally, 1 could not start, 2 bad command line or configuration.
 */
@Command(name = "member-agent", mixinStandardHelpOptions = true, versionProvider = MemberAgentApp.Version.class,
        description = {"hostwatch member-agent: network heartbeat to Kafka, storage heartbeat to shared storage, "
                + "service watch and self-isolation detection for one compute host (or N simulated ones).",
                "Every config key can also be set as an environment variable: HOSTWATCH_HEARTBEAT_INTERVAL_MS "
                        + "sets heartbeat.interval.ms (environment wins over the file)."})
public final class MemberAgentApp implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(MemberAgentApp.class);
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file; optional if every required key "
            + "(kafka.bootstrap.servers, schema.registry.url) comes from the environment.")
    private Path configFile;

    @Option(names = "--simulate", paramLabel = "N", description = "Run N virtual agents in this process "
            + "(hosts <prefix>00001..., one storage file and loopback address each), sharing one producer.")
    private int simulate;

    @Option(names = "--simulate-first", paramLabel = "K", defaultValue = "1",
            description = "Number of the first virtual host (default ${DEFAULT-VALUE}), to split a range over processes.")
    private int simulateFirst;

    @Option(names = "--simulate-prefix", paramLabel = "PREFIX", defaultValue = "sim-",
            description = "Host id prefix of virtual hosts (default ${DEFAULT-VALUE}).")
    private String simulatePrefix;

    @Option(names = "--simulate-domains", paramLabel = "D", defaultValue = "1",
            description = "Spread virtual hosts round-robin over D failure domains <failure.domain or az>-1..D.")
    private int simulateDomains;

    @Option(names = "--check-config", description = "Validate the configuration, print the resolved identity, exit.")
    private boolean checkOnly;

    @Option(names = "--config-docs", description = "Print every config key with its default and documentation "
            + "(reStructuredText table), exit.")
    private boolean configDocs;

    @Option(names = "--config-template", description = "Print a properties file with every key documented and "
            + "commented out at its default, exit.")
    private boolean configTemplate;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean shuttingDown;

    MemberAgentApp(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String... args) {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                LOG.error("event=agent.uncaught thread={}", thread.getName(), e));
        MemberAgentApp app = new MemberAgentApp(System.out, System.err, System.getenv());
        int code = run(app, args);
        if (!app.shuttingDown) {
            System.exit(code);
        }
    }

    static int run(MemberAgentApp app, String... args) {
        CommandLine commandLine = new CommandLine(app);
        commandLine.setOut(new java.io.PrintWriter(app.out, true));
        commandLine.setErr(new java.io.PrintWriter(app.err, true));
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        if (configDocs) {
            out.println(MemberAgentConfig.configDef().toRst());
            return 0;
        }
        if (configTemplate) {
            out.print(ConfigTemplate.render(MemberAgentConfig.configDef()));
            return 0;
        }
        MemberAgentConfig config;
        List<HostIdentity> identities;
        try {
            Map<String, String> values = ConfigSource.load(configFile, env);
            config = new MemberAgentConfig(values);
            MemberAgentConfig.unknownKeys(values).forEach(key ->
                    LOG.warn("event=config.unknown_key key={}: ignored (typo?)", key));
            if (simulate < 0) {
                throw new ConfigException("--simulate", simulate, "must be >= 0");
            }
            identities = simulate > 0
                    ? SimulatedHosts.create(simulatePrefix, simulateFirst, simulate, config.failureDomain(),
                    simulateDomains)
                    : List.of(LocalIdentity.resolve(config));
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("member-agent: invalid configuration: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        if (checkOnly) {
            HostIdentity first = identities.get(0);
            out.println("configuration OK: hosts=" + identities.size() + " host=" + first.host() + " address="
                    + first.address() + " topic=" + config.cluster().topics().heartbeats());
            return 0;
        }
        MemberAgent agent;
        try {
            agent = MemberAgent.start(config, identities);
        } catch (Exception e) {
            LOG.error("event=agent.start_failed reason=\"{}\"", e.toString(), e);
            err.println("member-agent: could not start: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown = true;
            agent.close();
            stopped.countDown();
        }, "agent-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The version in the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"member-agent " + MemberAgent.VERSION};
        }
    }
}
