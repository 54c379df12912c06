package io.hostwatch.agent.isolation;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address:port that drops connection attempts, like a host behind a downed link, without root: a
 * listener whose accept queue is full makes the kernel drop further SYNs.
 */
public final class SilentAddress implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> fillers;

    private SilentAddress(ServerSocket server, List<Socket> fillers) {
        this.server = server;
        this.fillers = fillers;
    }

    public static SilentAddress open() throws Exception {
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

    public IsolationAddress address() {
        return new IsolationAddress("127.0.0.1", server.getLocalPort());
    }

    @Override
    public void close() throws java.io.IOException {
        for (Socket socket : fillers) {
            socket.close();
        }
        server.close();
    }
}
