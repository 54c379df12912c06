package io.hostwatch.quickstart;

import io.hostwatch.runtime.files.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The quick start's scratch directory: every run starts from an empty one. */
final class WorkDirectory {
    private WorkDirectory() {}

    static void wipe(Path dir) throws IOException {
        Directories.deleteRecursively(dir);
        Files.createDirectories(dir);
    }
}
