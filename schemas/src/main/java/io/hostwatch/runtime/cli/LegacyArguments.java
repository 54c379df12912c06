package io.hostwatch.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a command line into the one every app understands: the old flag spellings of the three apps become their
 * subcommand (with a one-line deprecation warning), and a command line without a subcommand runs the service, so
 * {@code hostwatch-prober --config F} is {@code hostwatch-prober run --config F}.
 */
final class LegacyArguments {
    /** Old flag -> subcommand. Accepted for one release. */
    static final Map<String, String> DEPRECATED_FLAGS = Map.of(
            "--check-config", CheckConfigCommand.NAME,
            "--describe-config", ConfigDocsCommand.NAME,
            "--config-docs", ConfigDocsCommand.NAME,
            "--config-template", ConfigTemplateCommand.NAME);

    /** Top-level options that are not a run: {@code --help} and {@code --version} answer without a subcommand. */
    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    private LegacyArguments() {}

    static String[] rewrite(String[] args, Set<String> subcommands, String commandName, Consumer<String> warn) {
        List<String> rest = new ArrayList<>();
        String legacy = null;
        for (String arg : args) {
            String subcommand = DEPRECATED_FLAGS.get(arg);
            if (subcommand != null && legacy == null) {
                legacy = subcommand;
                warn.accept("option " + arg + " is deprecated and will be removed in the next release: use '"
                        + commandName + " " + subcommand + "'");
            } else {
                rest.add(arg);
            }
        }
        if (legacy != null) {
            if (!rest.isEmpty() && rest.get(0).equals(RunCommand.NAME)) {
                rest.remove(0);
            }
            rest.add(0, legacy);
        } else if (rest.isEmpty() || (!subcommands.contains(rest.get(0)) && !TOP_LEVEL_OPTIONS.contains(rest.get(0)))) {
            rest.add(0, RunCommand.NAME);
        }
        return rest.toArray(String[]::new);
    }
}
