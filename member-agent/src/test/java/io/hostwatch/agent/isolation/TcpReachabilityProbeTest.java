package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpReachabilityProbeTest {
    private final TcpReachabilityProbe probe = new TcpReachabilityProbe();

    @Test
    void shouldBeReachableWhenPortListens() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(probe.probe(new IsolationAddress("127.0.0.1", server.getLocalPort()), Duration.ofSeconds(1))
                            .reachable())
                    .isTrue();
        }
    }

    @Test
    void shouldBeReachableWhenHostRefusesConnection() throws Exception {
        // given: a port nobody listens on; the kernel answers with a RST, which proves the host is there
        int port;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }

        // then
        ReachabilityProbe.Outcome outcome = probe.probe(new IsolationAddress("127.0.0.1", port), Duration.ofSeconds(1));
        assertThat(outcome.reachable()).isTrue();
        assertThat(outcome.detail()).contains("refused");
    }

    @Test
    void shouldBeUnreachableWhenNothingAnswers() throws Exception {
        try (SilentAddress silent = SilentAddress.open()) {
            ReachabilityProbe.Outcome outcome = probe.probe(silent.address(), Duration.ofMillis(300));

            assertThat(outcome.reachable()).isFalse();
            assertThat(outcome.detail()).contains("no answer");
        }
    }
}
