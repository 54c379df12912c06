package io.hostwatch.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.agent.ShellCommand;
import io.hostwatch.schema.ServiceStatus;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandServiceCheckTest {

    private static ServiceCheck.Result check(String command, Set<Integer> degraded, Duration timeout)
            throws InterruptedException {
        return new CommandServiceCheck(new ShellCommand(command, timeout, false), degraded, "h1").check();
    }

    @Test
    void shouldMapExitCodesToStatus() throws Exception {
        assertThat(check("exit 0", Set.of(), Duration.ofSeconds(5)).status()).isEqualTo(ServiceStatus.OK);
        assertThat(check("exit 3", Set.of(), Duration.ofSeconds(5)).status()).isEqualTo(ServiceStatus.DOWN);
        assertThat(check("exit 4", Set.of(4), Duration.ofSeconds(5)).status()).isEqualTo(ServiceStatus.DEGRADED);
    }

    @Test
    void shouldPassHostIdToCommand() throws Exception {
        assertThat(check("test \"$HOSTWATCH_HOST\" = h1", Set.of(), Duration.ofSeconds(5))
                        .status())
                .isEqualTo(ServiceStatus.OK);
    }

    @Test
    void shouldBeDegradedNotDownWhenCheckHangs() throws Exception {
        // when
        long start = System.nanoTime();
        ServiceCheck.Result result = check("sleep 30", Set.of(), Duration.ofMillis(300));

        // then
        assertThat(result.status()).isEqualTo(ServiceStatus.DEGRADED);
        assertThat(result.detail()).contains("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
