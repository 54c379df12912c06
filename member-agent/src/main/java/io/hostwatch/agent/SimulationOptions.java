package io.hostwatch.agent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The agent's own options of {@code run} and {@code check-config}: N virtual hosts in one process. */
@Command
final class SimulationOptions {
    @Option(
            names = "--simulate",
            paramLabel = "N",
            description = "Run N virtual agents in this process "
                    + "(hosts <prefix>00001..., one storage file and loopback address each), sharing one producer.")
    int simulate;

    @Option(
            names = "--simulate-first",
            paramLabel = "K",
            defaultValue = "1",
            description =
                    "Number of the first virtual host (default ${DEFAULT-VALUE}), to split a range over processes.")
    int simulateFirst;

    @Option(
            names = "--simulate-prefix",
            paramLabel = "PREFIX",
            defaultValue = "sim-",
            description = "Host id prefix of virtual hosts (default ${DEFAULT-VALUE}).")
    String simulatePrefix;

    @Option(
            names = "--simulate-domains",
            paramLabel = "D",
            defaultValue = "1",
            description = "Spread virtual hosts round-robin over D failure domains <failure.domain or az>-1..D.")
    int simulateDomains;
}
