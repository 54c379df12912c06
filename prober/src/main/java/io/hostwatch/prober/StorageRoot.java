package io.hostwatch.prober;

import io.hostwatch.storage.StorageHeartbeat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the prober can read the shared storage at all: the root and its {@code hostwatch} directory exist and
 * can be listed. An unmounted NFS share usually leaves an empty mount point, so a missing {@code hostwatch}
 * directory is the prober's problem (ERROR), not evidence that every host stopped writing (MISSING).
 */
final class StorageRoot {
    private StorageRoot() {}

    /** What is wrong with {@code root}, or empty if it is readable. */
    static Optional<String> problem(Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.of(root + " is not a directory (not mounted?)");
        }
        Path directory = root.resolve(StorageHeartbeat.DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return Optional.of("no " + StorageHeartbeat.DIRECTORY + "/ directory under " + root + " (not mounted?)");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return Optional.of("cannot list " + directory + ": " + e);
        }
        if (!Files.isReadable(directory) || !Files.isExecutable(directory)) {
            return Optional.of(directory + " is not readable");
        }
        return Optional.empty();
    }
}
