package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.testkit.ExternalTools;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PingReachabilityProbeTest {

    @Test
    void shouldGetEchoReplyFromLoopback() throws Exception {
        // given
        Path ping = ExternalTools.system().requireTool("ping");

        // when
        ReachabilityProbe.Outcome outcome =
                new PingReachabilityProbe(ping).probe(new IsolationAddress("127.0.0.1", 0), Duration.ofSeconds(1));

        // then
        assertThat(outcome.reachable()).as(outcome.detail()).isTrue();
    }

    @Test
    void shouldBeUnreachableWhenPingCannotRun() throws Exception {
        ReachabilityProbe.Outcome outcome = new PingReachabilityProbe(Path.of("/nonexistent/ping"))
                .probe(new IsolationAddress("127.0.0.1", 0), Duration.ofSeconds(1));

        assertThat(outcome.reachable()).isFalse();
    }
}
