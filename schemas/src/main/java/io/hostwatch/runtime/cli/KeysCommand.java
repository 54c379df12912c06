package io.hostwatch.runtime.cli;

import io.hostwatch.auth.HostKey;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.input.InputRules;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keys}: makes the key files of authenticated heartbeats (contract section 11). {@code keys generate-master}
 * writes a new master key version (detector and probers); {@code keys derive} writes one host's key from it (that
 * host's member-agent only). Files are created with mode 0600 and never overwritten.
 */
@Command(
        name = KeysCommand.NAME,
        mixinStandardHelpOptions = true,
        description = "Make key files for authenticated heartbeats and storage files.",
        subcommands = {KeysCommand.GenerateMaster.class, KeysCommand.Derive.class})
final class KeysCommand implements Callable<Integer> {
    static final String NAME = "keys";

    @Override
    public Integer call() {
        return ExitCode.USAGE;
    }

    @Command(
            name = "generate-master",
            mixinStandardHelpOptions = true,
            description = "Write a new master key file (mode 0600) for the detector and the probers.")
    static final class GenerateMaster implements Callable<Integer> {
        @Option(names = "--key-id", required = true, description = "Key version written on every record, e.g. k1.")
        String keyId;

        @Option(names = "--out", required = true, description = "File to create; never overwritten.")
        Path out;

        @Override
        public Integer call() throws Exception {
            KeyFiles.write(out, KeyFiles.generateMaster(keyId));
            return ExitCode.OK;
        }
    }

    @Command(
            name = "derive",
            mixinStandardHelpOptions = true,
            description = "Write the key file (mode 0600) of one host, derived from a master key file.")
    static final class Derive implements Callable<Integer> {
        @Option(names = "--master", required = true, description = "Master key file (must be mode 0600).")
        Path master;

        @Option(names = "--host", required = true, description = "Host id (the agent's host.id).")
        String host;

        @Option(names = "--out", required = true, description = "File to create; never overwritten.")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (!InputRules.validHostId(host)) {
                throw new IllegalArgumentException("--host '" + host + "' is not a valid host id: 1 to "
                        + InputRules.MAX_HOST_ID_LENGTH + " letters, digits, '.', '_' or '-'");
            }
            MasterKey key = KeyFiles.readMaster(master, "--master");
            HostKey derived = key.derive(host);
            KeyFiles.write(out, derived);
            return ExitCode.OK;
        }
    }
}
