package io.hostwatch.runtime.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {
    @TempDir
    Path dir;

    @Test
    void shouldDeleteATreeButNotWhatASymlinkInItPointsTo() throws Exception {
        // given
        Path outside = Files.writeString(dir.resolve("keep.txt"), "keep");
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file"), "x");
        Files.createSymbolicLink(dir.resolve("tree/link"), outside);

        // when
        Directories.deleteRecursively(dir.resolve("tree"));

        // then
        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("keep");
    }

    @Test
    void shouldDoNothingWhenTheDirectoryDoesNotExist() throws Exception {
        // when
        Directories.deleteRecursively(dir.resolve("absent"));

        // then
        assertThat(dir).isEmptyDirectory();
    }
}
