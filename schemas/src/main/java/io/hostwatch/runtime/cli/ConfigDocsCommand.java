package io.hostwatch.runtime.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code config-docs}: every key with its type, default, valid values and documentation. */
@Command(
        name = ConfigDocsCommand.NAME,
        mixinStandardHelpOptions = true,
        description = "Print every config key with its type, default, valid values and documentation "
                + "(reStructuredText).")
final class ConfigDocsCommand implements Callable<Integer> {
    static final String NAME = "config-docs";

    private final HostwatchCli<?, ?> cli;

    ConfigDocsCommand(HostwatchCli<?, ?> cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        cli.out().println(cli.app().configDef().toRst());
        Map<String, String> renamed = cli.app().renamedKeys().renamed();
        if (!renamed.isEmpty()) {
            cli.out().println("Deprecated keys, accepted until the next release:");
            cli.out().println();
            new TreeMap<>(renamed)
                    .forEach((old, current) -> cli.out().println("* ``" + old + "``: use ``" + current + "``"));
        }
        return ExitCode.OK;
    }
}
