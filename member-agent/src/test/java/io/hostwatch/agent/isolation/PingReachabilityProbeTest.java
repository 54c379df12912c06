package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PingReachabilityProbeTest {

    @Test
    void shouldGetEchoReplyFromLoopback() throws Exception {
        Optional<Path> ping = PingReachabilityProbe.findPing();
        assumeTrue(ping.isPresent(), "no ping command on this machine");

        ReachabilityProbe.Outcome outcome = new PingReachabilityProbe(ping.get())
                .probe(new IsolationAddress("127.0.0.1", 0), Duration.ofSeconds(1));

        assertThat(outcome.reachable()).as(outcome.detail()).isTrue();
    }

    @Test
    void shouldBeUnreachableWhenPingCannotRun() throws Exception {
        ReachabilityProbe.Outcome outcome = new PingReachabilityProbe(Path.of("/nonexistent/ping"))
                .probe(new IsolationAddress("127.0.0.1", 0), Duration.ofSeconds(1));

        assertThat(outcome.reachable()).isFalse();
    }
}
