package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpReachabilityProbeTest {
    private final TcpReachabilityProbe probe = new TcpReachabilityProbe();

    @Test
    void shouldBeReachableWhenPortListens() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(probe.probe(new IsolationAddress("127.0.0.1", server.getLocalPort()), Duration.ofSeconds(1))
                    .reachable()).isTrue();
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

    /**
     * A loopback address:port that drops connection attempts, like a host behind a downed link, without root: a
     * listener whose accept queue is full makes the kernel drop further SYNs.
     */
    static final class SilentAddress implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> fillers;

        private SilentAddress(ServerSocket server, List<Socket> fillers) {
            this.server = server;
            this.fillers = fillers;
        }

        static SilentAddress open() throws Exception {
            ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            List<Socket> fillers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
                    fillers.add(socket);
                } catch (java.net.SocketTimeoutException full) {
                    socket.close();
                    return new SilentAddress(server, fillers);
                }
            }
            throw new IllegalStateException("accept queue never filled up");
        }

        IsolationAddress address() {
            return new IsolationAddress("127.0.0.1", server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            for (Socket socket : fillers) {
                socket.close();
            }
            server.close();
        }
    }
}
