package io.hostwatch.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {

    @Test
    void shouldReplaceContentAndLeaveNoTempFile(@TempDir Path dir) throws Exception {
        // given
        Path target = dir.resolve("h.hb");
        AtomicFileWriter.write(target, "old content that is longer\n".getBytes(StandardCharsets.UTF_8), true);

        // when
        AtomicFileWriter.write(target, "new\n".getBytes(StandardCharsets.UTF_8), true);

        // then
        assertThat(Files.readString(target)).isEqualTo("new\n");
        assertThat(AtomicFileWriter.tempFileOf(target)).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void shouldReuseStrayTempFileLeftByACrash(@TempDir Path dir) throws Exception {
        // given
        Path target = dir.resolve("h.hb");
        Files.writeString(AtomicFileWriter.tempFileOf(target), "torn garbage from a killed writer, much longer");

        // when
        AtomicFileWriter.write(target, "whole\n".getBytes(StandardCharsets.UTF_8), false);

        // then
        assertThat(Files.readString(target)).isEqualTo("whole\n");
        assertThat(AtomicFileWriter.tempFileOf(target)).doesNotExist();
    }
}
