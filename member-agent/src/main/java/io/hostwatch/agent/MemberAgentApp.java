package io.hostwatch.agent;

import io.hostwatch.runtime.cli.CliApp;
import io.hostwatch.runtime.cli.HostwatchCli;
import io.hostwatch.runtime.cli.Running;
import io.hostwatch.runtime.cli.Stopped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code hostwatch-member-agent [run] --config FILE [--simulate N]}: runs the agent until SIGTERM/SIGINT. The command
 * line (subcommands, exit codes, environment overrides) is {@link HostwatchCli}'s.
 */
public final class MemberAgentApp implements CliApp<SimulationOptions, AgentLaunch> {
    static final String NAME = "hostwatch-member-agent";

    public static void main(String... args) {
        System.exit(new HostwatchCli<>(new MemberAgentApp(), System.out, System.err, System.getenv()).execute(args));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "hostwatch member-agent: network heartbeat to Kafka, storage heartbeat to shared storage, service "
                + "watch and self-isolation detection for one compute host (or N simulated ones).";
    }

    @Override
    public ConfigDef configDef() {
        return MemberAgentConfig.configDef();
    }

    @Override
    public String templateHeader() {
        return "# The Kafka producer keys the agent sets itself are rejected: acks, enable.idempotence,\n"
                + "# max.in.flight.requests.per.connection, max.block.ms, delivery.timeout.ms (=\n"
                + "# heartbeat.delivery.timeout.ms), transactional.id, serializers; linger.ms + request.timeout.ms must\n"
                + "# not exceed heartbeat.delivery.timeout.ms.\n";
    }

    @Override
    public SimulationOptions newOptions() {
        return new SimulationOptions();
    }

    @Override
    public AgentLaunch configure(Map<String, String> values, SimulationOptions options) {
        MemberAgentConfig config = new MemberAgentConfig(values);
        if (options.simulate < 0) {
            throw new ConfigException("--simulate", options.simulate, "must be >= 0");
        }
        List<HostIdentity> identities = options.simulate > 0
                ? SimulatedHosts.create(
                        options.simulatePrefix,
                        options.simulateFirst,
                        options.simulate,
                        config.failureDomain(),
                        options.simulateDomains)
                : List.of(LocalIdentity.resolve(config));
        return new AgentLaunch(config, identities);
    }

    @Override
    public String summary(AgentLaunch launch) {
        HostIdentity first = launch.identities().get(0);
        return "hosts=" + launch.identities().size() + " host=" + first.host() + " address=" + first.address()
                + " topic=" + launch.config().cluster().topics().heartbeats();
    }

    @Override
    public Running start(AgentLaunch launch) throws Exception {
        MemberAgent agent = MemberAgent.start(launch.config(), launch.identities());
        return new Running() {
            @Override
            public CompletionStage<Stopped> stoppedByItself() {
                // The Kafka client refused the configuration once it was used: as fatal as a bad key, and
                // systemd's RestartPreventExitStatus=2 keeps it from restarting the agent in a loop.
                return agent.configRejected().thenApply(e -> Stopped.badConfig(e.getMessage()));
            }

            @Override
            public void close() {
                agent.close();
            }
        };
    }
}
