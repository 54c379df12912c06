package io.hostwatch.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code <app>}: only answers {@code --help} and {@code --version}; everything else is a subcommand. */
@Command(
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Without a subcommand, 'run' is meant: '<app> --config FILE' = '<app> run --config FILE'.",
            "Every config key can also be set in the environment: HOSTWATCH_FOO_BAR_MS sets foo.bar.ms and wins "
                    + "over the file.",
            "Exit codes: 0 ok or stopped on request, 1 runtime failure, 2 bad usage or configuration (the message "
                    + "names the key)."
        })
final class TopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
