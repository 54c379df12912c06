package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.agent.ShellCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsolationMonitorTest {

    @Test
    void shouldRunResponseWhenIsolatedAndRecoveryWhenAddressAnswersAgain(@TempDir Path dir) throws Exception {
        // given: Kafka never acknowledged anything; the address answers as the test says
        AtomicBoolean addressAnswers = new AtomicBoolean(false);
        ReachabilityProbe probe = new ReachabilityProbe() {
            @Override
            public Outcome probe(IsolationAddress address, Duration timeout) {
                return new Outcome(addressAnswers.get(), "test");
            }

            @Override
            public String method() {
                return "test";
            }
        };
        Path isolatedMarker = dir.resolve("isolated");
        Path recoveredMarker = dir.resolve("recovered");
        IsolationResponse response = new IsolationResponse(
                Optional.of(new ShellCommand(
                        "echo \"$HOSTWATCH_EVENT $HOSTWATCH_HOSTS\" > " + isolatedMarker,
                        Duration.ofSeconds(10),
                        true)),
                Optional.of(new ShellCommand(
                        "echo \"$HOSTWATCH_EVENT\" > " + recoveredMarker, Duration.ofSeconds(10), true)),
                "h1");
        AtomicLong lastAck = new AtomicLong(System.nanoTime());
        try (IsolationMonitor monitor = new IsolationMonitor(
                List.of(new IsolationAddress("a", 1)),
                probe,
                Duration.ofMillis(100),
                Duration.ofMillis(300),
                Duration.ofMillis(50),
                lastAck::get,
                () -> Long.MIN_VALUE,
                response,
                "h1")) {

            // when
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        monitor.round();
                        return monitor.isolated();
                    });

            // then
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(isolatedMarker));
            assertThat(Files.readString(isolatedMarker).trim()).isEqualTo("isolated h1");

            // when the gateway answers again
            addressAnswers.set(true);
            monitor.round();

            // then
            assertThat(monitor.isolated()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(recoveredMarker));
            assertThat(Files.readString(recoveredMarker).trim()).isEqualTo("recovered");
        }
    }
}
