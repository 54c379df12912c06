package io.hostwatch.runtime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --config FILE}: runs the service until SIGTERM/SIGINT (the default subcommand). */
@Command(
        name = RunCommand.NAME,
        mixinStandardHelpOptions = true,
        description = "Run the service until SIGTERM or SIGINT (the default when no subcommand is given).")
final class RunCommand<O> implements Callable<Integer>, OptionsHolder {
    static final String NAME = "run";

    private final HostwatchCli<O, ?> cli;
    private O options;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Properties file; HOSTWATCH_* environment variables override it. Optional if the "
                    + "environment sets every required key.")
    Path config;

    RunCommand(HostwatchCli<O, ?> cli) {
        this.cli = cli;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void options(Object options) {
        this.options = (O) options;
    }

    @Override
    public Integer call() {
        return cli.run(config, options);
    }
}
