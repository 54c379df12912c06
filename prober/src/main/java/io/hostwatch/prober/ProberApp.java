package io.hostwatch.prober;

import io.hostwatch.runtime.cli.CliApp;
import io.hostwatch.runtime.cli.HostwatchCli;
import io.hostwatch.runtime.cli.NoOptions;
import io.hostwatch.runtime.cli.Running;
import io.hostwatch.runtime.cli.Stopped;
import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.config.ConfigDef;

/**
 * {@code hostwatch-prober [run] --config prober.properties}: answers probe requests until SIGTERM. The command line
 * (subcommands, exit codes, environment overrides) is {@link HostwatchCli}'s.
 */
public final class ProberApp implements CliApp<NoOptions, ProberConfig> {
    static final String NAME = "hostwatch-prober";

    public static void main(String... args) {
        System.exit(new HostwatchCli<>(new ProberApp(), System.out, System.err, System.getenv()).execute(args));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Answers hostwatch probe requests with ping and storage-heartbeat evidence.";
    }

    @Override
    public ConfigDef configDef() {
        return ProberConfig.definition();
    }

    @Override
    public String templateHeader() {
        return "";
    }

    @Override
    public NoOptions newOptions() {
        return new NoOptions();
    }

    @Override
    public ProberConfig configure(Map<String, String> values, NoOptions options) {
        return new ProberConfig(values);
    }

    @Override
    public String summary(ProberConfig config) {
        return config.summary();
    }

    @Override
    public Running start(ProberConfig config) throws InterruptedException {
        ProberService service = ProberService.start(config);
        CompletableFuture<Stopped> loopEnded = new CompletableFuture<>();
        new DaemonThreadFactory("prober-loop-watch")
                .newThread(() -> {
                    try {
                        service.awaitLoop();
                        loopEnded.complete(Stopped.failed("the probe loop ended unexpectedly"));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .start();
        return new Running() {
            @Override
            public CompletionStage<Stopped> stoppedByItself() {
                return loopEnded;
            }

            @Override
            public void close() {
                service.close();
            }
        };
    }
}
