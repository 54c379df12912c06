package io.hostwatch.quickstart;

import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The quick start's keys, made at start-up in its work directory as an operator would with {@code keys
 * generate-master} and {@code keys derive}: one master key (detector, probers) and one key file per host (its
 * agent), every file mode 0600. Detector and probers run with {@code required} authentication.
 */
final class QuickStartKeys {
    private final Path dir;
    private final Path masterFile;
    private final MasterKey master;

    private QuickStartKeys(Path dir, Path masterFile, MasterKey master) {
        this.dir = dir;
        this.masterFile = masterFile;
        this.master = master;
    }

    static QuickStartKeys create(Path workDir) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("keys"));
        // a reused work directory holds keys of an earlier master: start over
        try (var old = Files.newDirectoryStream(dir, "*.key")) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        Path masterFile = dir.resolve("master-k1.key");
        MasterKey master = KeyFiles.generateMaster("k1");
        KeyFiles.write(masterFile, master);
        return new QuickStartKeys(dir, masterFile, master);
    }

    /** The key file of {@code host}, written on first use. */
    Path hostKey(String host) throws IOException {
        Path file = dir.resolve(host + ".key");
        if (!Files.exists(file)) {
            KeyFiles.write(file, master.derive(host));
        }
        return file;
    }

    Path masterFile() {
        return masterFile;
    }

    Map<String, String> detectorConfig() {
        return Map.of("auth.master.key.files", masterFile.toString(), "heartbeat.authentication", "required");
    }

    /** @param allowedNetworks the test network's CIDR: the probers ping nothing else */
    Map<String, String> proberConfig(String allowedNetworks) {
        return Map.of(
                "auth.master.key.files",
                masterFile.toString(),
                "storage.authentication",
                "required",
                "probe.allowed.networks",
                allowedNetworks);
    }
}
