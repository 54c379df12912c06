package io.hostwatch.detector;

import io.hostwatch.runtime.cli.ConfigLoader;
import io.hostwatch.runtime.cli.ExitCode;
import io.hostwatch.runtime.security.HostwatchAcls;
import io.hostwatch.runtime.security.RolePrincipals;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hostwatch-detector acls --config FILE [--admin-config FILE] [--dry-run]}: creates the least-privilege ACL
 * set ({@link HostwatchAcls}) of the deployment the detector's config describes (topic.prefix, application.id)
 * through the Admin API. Creating an ACL that exists is a no-op, so the command can be run again after a change.
 */
@Command(
        name = "acls",
        mixinStandardHelpOptions = true,
        description = "Create the ACLs every hostwatch role needs (agents, probers, detector, Nova consumer), "
                + "prefixed by topic.prefix and application.id. --dry-run prints them only.")
final class AclsCommand implements Callable<Integer> {
    private static final long TIMEOUT_SECONDS = 60;

    private final ConfigLoader<DetectorConfig> loader;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The detector's properties file.")
    Path config;

    @Option(
            names = "--admin-config",
            paramLabel = "FILE",
            description = "Kafka client properties of a principal allowed to create ACLs (security.protocol, "
                    + "sasl.*, ssl.*); bootstrap.servers defaults to the detector's. Without it the detector's own "
                    + "kafka.* settings are used, which the broker should refuse.")
    Path adminConfig;

    @Option(names = "--dry-run", description = "Print the ACLs, change nothing.")
    boolean dryRun;

    @Option(
            names = "--agent-principal",
            defaultValue = "User:hostwatch-agent",
            description = "Default: ${DEFAULT-VALUE}")
    String agent;

    @Option(
            names = "--prober-principal",
            defaultValue = "User:hostwatch-prober",
            description = "Default: ${DEFAULT-VALUE}")
    String prober;

    @Option(
            names = "--detector-principal",
            defaultValue = "User:hostwatch-detector",
            description = "Default: ${DEFAULT-VALUE}")
    String detector;

    @Option(names = "--nova-principal", defaultValue = "User:hostwatch-nova", description = "Default: ${DEFAULT-VALUE}")
    String nova;

    @Option(
            names = "--prober-group",
            defaultValue = "hostwatch-prober",
            description = "The probers' probe.group.id (a prefix: fan-out appends .<prober.id>). Default: "
                    + "${DEFAULT-VALUE}")
    String proberGroup;

    @Option(
            names = "--nova-group",
            defaultValue = "hostwatch-nova",
            description = "The Nova consumer's group.id. Default: ${DEFAULT-VALUE}")
    String novaGroup;

    AclsCommand(ConfigLoader<DetectorConfig> loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DetectorConfig detectorConfig = loader.load(config, Map.of());
        HostwatchAcls acls;
        try {
            acls = new HostwatchAcls(
                    detectorConfig.cluster().topics(),
                    detectorConfig.applicationId(),
                    proberGroup,
                    novaGroup,
                    new RolePrincipals(agent, prober, detector, nova));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE;
        }
        List<AclBinding> bindings = acls.bindings();
        bindings.forEach(binding -> out.println(HostwatchAcls.describe(binding)));
        if (dryRun) {
            err.println(bindings.size() + " ACLs (dry run: nothing changed)");
            return ExitCode.OK;
        }
        Map<String, Object> props = new HashMap<>(detectorConfig.cluster().clientProperties(Map.of()));
        if (adminConfig != null) {
            props.keySet().removeIf(key -> !key.equals("bootstrap.servers"));
            props.putAll(load(adminConfig));
        }
        try (Admin admin = Admin.create(props)) {
            admin.createAcls(bindings).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            err.println("Creating the ACLs failed: " + e.getCause());
            return ExitCode.FAILED;
        } catch (TimeoutException e) {
            err.println("The broker did not answer within " + TIMEOUT_SECONDS + " s");
            return ExitCode.FAILED;
        }
        err.println(bindings.size() + " ACLs created (existing ones unchanged)");
        return ExitCode.OK;
    }

    private static Map<String, Object> load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        Map<String, Object> map = new HashMap<>();
        props.forEach((key, value) -> map.put((String) key, value));
        return map;
    }
}
