package io.hostwatch.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalHostNameTest {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    @Test
    void shouldBeTheKernelsHostnameWhenItCanBeRead() throws Exception {
        // given
        assumeThat(Files.isReadable(KERNEL_HOSTNAME)).as("Linux /proc").isTrue();
        String kernel =
                Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).trim();

        // when / then
        assertThat(LocalHostName.read()).contains(kernel);
        assertThat(LocalHostName.forEmpty("prober.id")).isEqualTo(kernel);
    }
}
