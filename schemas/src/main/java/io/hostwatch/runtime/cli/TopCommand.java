package io.hostwatch.runtime.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code <app>}: only answers {@code --help} and {@code --version}; everything else is a subcommand. Name, description,
 * version and footer are the app's, set by {@link HostwatchCli}.
 */
@Command(mixinStandardHelpOptions = true)
final class TopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
