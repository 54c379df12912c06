package io.hostwatch.agent.isolation;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * TCP connect to host:port, no root needed. An accepted connection and an active refusal (RST) both prove the peer
 * answered across the network, as in the JDK's {@code InetAddress.isReachable} fallback; a timeout, "no route to
 * host" or "network unreachable" do not.
 */
public final class TcpReachabilityProbe implements ReachabilityProbe {

    @Override
    public Outcome probe(IsolationAddress address, Duration timeout) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), (int) timeout.toMillis());
            return new Outcome(true, "connected in " + micros(started) + " us");
        } catch (ConnectException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("refused")) {
                return new Outcome(true, "refused (host answered) in " + micros(started) + " us");
            }
            return new Outcome(false, message);
        } catch (SocketTimeoutException e) {
            return new Outcome(false, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public String method() {
        return "tcp";
    }

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1000;
    }
}
