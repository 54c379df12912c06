package io.hostwatch.detector;

import io.hostwatch.runtime.files.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

final class TestFiles {
    private TestFiles() {}

    static void deleteRecursively(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
