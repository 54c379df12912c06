package io.hostwatch.detector;

import io.hostwatch.detector.replay.ReplayCommand;
import io.hostwatch.runtime.cli.CliApp;
import io.hostwatch.runtime.cli.ConfigLoader;
import io.hostwatch.runtime.cli.HostwatchCli;
import io.hostwatch.runtime.cli.NoOptions;
import io.hostwatch.runtime.cli.Running;
import io.hostwatch.runtime.cli.Stopped;
import io.hostwatch.runtime.config.RenamedKeys;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.config.ConfigDef;

/**
 * {@code hostwatch-detector [run] --config FILE}: runs a detector instance until SIGTERM/SIGINT.
 * {@code hostwatch-detector replay --from T1 --to T2}: prints the host-state transitions recorded input of a window
 * produces, without touching live topics. The rest of the command line is {@link HostwatchCli}'s.
 */
public final class DetectorApp implements CliApp<NoOptions, DetectorConfig> {
    static final String NAME = "hostwatch-detector";

    public static void main(String... args) {
        System.exit(new HostwatchCli<>(new DetectorApp(), System.out, System.err, System.getenv()).execute(args));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "hostwatch detector: host failure detection on Kafka Streams.";
    }

    @Override
    public ConfigDef configDef() {
        return DetectorConfig.configDef();
    }

    @Override
    public String templateHeader() {
        return "# Kafka Streams settings pass through with the kafka. prefix (e.g. kafka.commit.interval.ms).\n";
    }

    @Override
    public RenamedKeys renamedKeys() {
        return DetectorConfig.RENAMED_KEYS;
    }

    @Override
    public NoOptions newOptions() {
        return new NoOptions();
    }

    @Override
    public DetectorConfig configure(Map<String, String> values, NoOptions options) {
        return new DetectorConfig(values);
    }

    @Override
    public String summary(DetectorConfig config) {
        return String.format(
                Locale.ROOT,
                "application.id=%s instance.id=%s state.dir=%s ops=%s:%d heartbeat.timeout.ms=%d topics=%s*",
                config.applicationId(),
                config.instanceId(),
                config.stateDir(),
                config.httpBind(),
                config.httpPort(),
                config.detection().heartbeatTimeoutMs(),
                config.cluster().topics().prefix());
    }

    @Override
    public Running start(DetectorConfig config) throws InterruptedException {
        DetectorRuntime runtime = DetectorRuntime.start(config);
        return new Running() {
            @Override
            public CompletionStage<Stopped> stoppedByItself() {
                return runtime.terminated().thenApply(state -> Stopped.failed("Kafka Streams ended in state " + state));
            }

            @Override
            public void close() {
                runtime.close();
            }
        };
    }

    @Override
    public List<Object> extraSubcommands(ConfigLoader<DetectorConfig> loader) {
        return List.of(new ReplayCommand(loader), new AclsCommand(loader));
    }
}
