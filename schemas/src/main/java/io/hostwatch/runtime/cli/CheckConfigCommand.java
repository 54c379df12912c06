package io.hostwatch.runtime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check-config --config FILE}: validates file + environment as {@code run} would, prints one line. */
@Command(
        name = CheckConfigCommand.NAME,
        mixinStandardHelpOptions = true,
        description = "Validate the configuration (file plus HOSTWATCH_* environment) as 'run' would, print a "
                + "one-line summary and exit: 0 valid, 2 invalid (the message names the key). Connects to nothing.")
final class CheckConfigCommand<O> implements Callable<Integer>, OptionsHolder {
    static final String NAME = "check-config";

    private final HostwatchCli<O, ?> cli;
    private O options;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Properties file; HOSTWATCH_* environment variables override it.")
    Path config;

    CheckConfigCommand(HostwatchCli<O, ?> cli) {
        this.cli = cli;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void options(Object options) {
        this.options = (O) options;
    }

    @Override
    public Integer call() {
        return cli.checkConfig(config, options);
    }
}
