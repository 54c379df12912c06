package io.hostwatch.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code version}: {@code <app> <version>} from the jar manifest, {@code (development build)} outside a jar. */
@Command(
        name = VersionCommand.NAME,
        mixinStandardHelpOptions = true,
        description = "Print the name and version of this build.")
final class VersionCommand implements Callable<Integer> {
    static final String NAME = "version";

    private final HostwatchCli<?, ?> cli;

    VersionCommand(HostwatchCli<?, ?> cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        cli.out().println(cli.version());
        return ExitCode.OK;
    }
}
