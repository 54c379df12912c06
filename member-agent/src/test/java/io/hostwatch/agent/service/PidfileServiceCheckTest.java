package io.hostwatch.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidfileServiceCheckTest {

    @Test
    void shouldBeOkWhenProcessInPidfileIsAlive(@TempDir Path dir) throws Exception {
        Path pidfile = dir.resolve("svc.pid");
        Files.writeString(pidfile, ProcessHandle.current().pid() + "\n");

        assertThat(new PidfileServiceCheck(pidfile, "").check().status()).isEqualTo(ServiceStatus.OK);
    }

    @Test
    void shouldBeDownWhenProcessHasExited(@TempDir Path dir) throws Exception {
        // given
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path pidfile = dir.resolve("svc.pid");
        Files.writeString(pidfile, Long.toString(process.pid()));

        // then
        assertThat(new PidfileServiceCheck(pidfile, "").check().status()).isEqualTo(ServiceStatus.DOWN);
    }

    @Test
    void shouldBeDownWhenPidfileIsMissingOrGarbled(@TempDir Path dir) throws Exception {
        Path pidfile = dir.resolve("svc.pid");
        assertThat(new PidfileServiceCheck(pidfile, "").check().status()).isEqualTo(ServiceStatus.DOWN);

        Files.writeString(pidfile, "not a pid");
        assertThat(new PidfileServiceCheck(pidfile, "").check().status()).isEqualTo(ServiceStatus.DOWN);
    }

    @Test
    void shouldBeDownWhenPidBelongsToAnotherProcess(@TempDir Path dir) throws Exception {
        // given: a live process that is not the service (a recycled pid)
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Path pidfile = dir.resolve("svc.pid");
            Files.writeString(pidfile, Long.toString(other.pid()));

            // then
            assertThat(new PidfileServiceCheck(pidfile, "nova-compute").check().status())
                    .isEqualTo(ServiceStatus.DOWN);
            assertThat(new PidfileServiceCheck(pidfile, "sleep 30").check().status())
                    .isEqualTo(ServiceStatus.OK);
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
