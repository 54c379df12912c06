package io.hostwatch.prober;

import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP-connect ping on one selector thread, so thousands of silent hosts cost sockets, not threads. Up to
 * {@code count} connects per host, one every {@code interval}, each given {@code timeout}; the first one that gets
 * an answer wins. An accepted connection and a refused one (RST) both mean the host's kernel answered: OK. No
 * answer, or "no route to host" from the neighbour layer, is FAILED; a local error such as "network is
 * unreachable" (the prober has no route) is ERROR. Past its deadline a ping starts nothing more: one still waiting
 * for a connection slot is not started, a started one makes no further attempt (both ERROR, already published).
 */
final class TcpPinger implements Pinger {
    private static final Logger LOG = LoggerFactory.getLogger(TcpPinger.class);

    private final int port;
    private final int count;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final int maxConcurrent;
    private final AddressResolver resolver;
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // selector thread only:
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Queue<Ping> waiting = new ArrayDeque<>();
    private int active;
    private volatile boolean closed;

    TcpPinger(int port, int count, Duration interval, Duration timeout, int maxConcurrent, AddressResolver resolver) {
        this.port = port;
        this.count = count;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.maxConcurrent = maxConcurrent;
        this.resolver = resolver;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector", e);
        }
        this.thread = new DaemonThreadFactory("prober-tcp").newThread(this::loop);
        this.thread.start();
    }

    @Override
    public PingMethod method() {
        return PingMethod.TCP;
    }

    @Override
    public CompletableFuture<PingOutcome> ping(String address, Deadline deadline) {
        return resolver.resolve(address, deadline)
                .thenCompose(ip -> {
                    Ping ping = new Ping(new InetSocketAddress(ip, port), deadline);
                    submit(() -> admit(ping));
                    return ping.result;
                })
                .exceptionally(error -> Outcomes.pingError(PingMethod.TCP, Failures.describe(error)));
    }

    private void submit(Runnable task) {
        if (closed) {
            throw new IllegalStateException("TCP pinger closed");
        }
        tasks.add(task);
        selector.wakeup();
    }

    /** A ping of one host: several attempts, one result. */
    private final class Ping {
        final InetSocketAddress target;
        final Deadline deadline;
        final CompletableFuture<PingOutcome> result = new CompletableFuture<>();
        final List<SocketChannel> open = new ArrayList<>();
        int started;
        int finished;
        boolean answered;
        String localError;

        Ping(InetSocketAddress target, Deadline deadline) {
            this.target = target;
            this.deadline = deadline;
        }
    }

    private record Attempt(Ping ping, SocketChannel channel, long startNanos) {}

    private record Timer(long dueNanos, Runnable action) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            return Long.compare(dueNanos, other.dueNanos);
        }
    }

    private void admit(Ping ping) {
        if (ping.deadline.passed()) {
            ping.result.complete(Outcomes.pingError(
                    PingMethod.TCP,
                    "not pinged: the deadline passed while the ping " + "waited for one of " + maxConcurrent
                            + " connection slots"));
            return;
        }
        if (active >= maxConcurrent) {
            waiting.add(ping);
            return;
        }
        active++;
        startAttempt(ping);
    }

    private void startAttempt(Ping ping) {
        if (ping.result.isDone()) {
            return;
        }
        if (ping.deadline.passed()) {
            finish(
                    ping,
                    Outcomes.pingError(
                            PingMethod.TCP,
                            "no answer to " + ping.started + " TCP connects to port " + port + " before the deadline"));
            return;
        }
        ping.started++;
        long start = System.nanoTime();
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            ping.open.add(channel);
            Attempt attempt = new Attempt(ping, channel, start);
            if (channel.connect(ping.target)) {
                answered(attempt, null);
                return;
            }
            channel.register(selector, SelectionKey.OP_CONNECT, attempt);
            SocketChannel registered = channel;
            timers.add(new Timer(start + timeoutNanos, () -> {
                if (registered.isOpen() && !ping.result.isDone()) {
                    close(registered);
                    attemptFinished(ping);
                }
            }));
        } catch (NoRouteToHostException e) {
            close(channel);
            attemptFinished(ping);
        } catch (ConnectException e) {
            close(channel);
            if (String.valueOf(e.getMessage()).contains("refused")) {
                answered(new Attempt(ping, channel, start), "connection refused: the host answered with a reset");
            } else {
                attemptError(ping, e);
            }
        } catch (IOException e) {
            if (channel != null) {
                close(channel);
            }
            attemptError(ping, e);
        }
        if (ping.started < count && !ping.result.isDone()) {
            timers.add(new Timer(start + intervalNanos, () -> startAttempt(ping)));
        }
    }

    private void onConnectable(SelectionKey key) {
        Attempt attempt = (Attempt) key.attachment();
        key.cancel();
        try {
            attempt.channel().finishConnect();
            answered(attempt, null);
        } catch (NoRouteToHostException e) {
            // the neighbour layer got no answer (ARP/ND failed) or a router said so: evidence, like a timeout
            close(attempt.channel());
            attemptFinished(attempt.ping());
        } catch (ConnectException e) {
            if (String.valueOf(e.getMessage()).contains("refused")) {
                answered(attempt, "connection refused: the host answered with a reset");
            } else {
                close(attempt.channel());
                attemptError(attempt.ping(), e);
            }
        } catch (IOException e) {
            close(attempt.channel());
            attemptError(attempt.ping(), e);
        }
    }

    private void answered(Attempt attempt, String detail) {
        long rttMicros = (System.nanoTime() - attempt.startNanos()) / 1000;
        Ping ping = attempt.ping();
        ping.answered = true;
        finish(ping, Outcomes.pingOk(PingMethod.TCP, rttMicros, detail));
    }

    private void attemptError(Ping ping, IOException error) {
        ping.localError = error.getClass().getSimpleName() + ": " + error.getMessage();
        attemptFinished(ping);
    }

    private void attemptFinished(Ping ping) {
        ping.finished++;
        if (ping.finished < count || ping.result.isDone()) {
            return;
        }
        if (ping.localError != null) {
            finish(
                    ping,
                    Outcomes.pingError(
                            PingMethod.TCP, "connect to port " + port + " failed locally: " + ping.localError));
        } else {
            finish(
                    ping,
                    Outcomes.pingFailed(
                            PingMethod.TCP,
                            String.format(
                                    Locale.ROOT,
                                    "no answer to %d TCP connects to port %d within %d ms",
                                    count,
                                    port,
                                    timeoutNanos / 1_000_000)));
        }
    }

    private void finish(Ping ping, PingOutcome outcome) {
        if (ping.result.isDone()) {
            return;
        }
        ping.open.forEach(TcpPinger::close);
        ping.open.clear();
        active--;
        ping.result.complete(outcome);
        Ping next;
        // admit() may skip an expired ping without taking the slot: keep going until one takes it
        while (active < maxConcurrent && (next = waiting.poll()) != null) {
            admit(next);
        }
    }

    private void loop() {
        try {
            while (!closed) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().dueNanos() <= now) {
                    timers.poll().action().run();
                }
                long waitMillis = timers.isEmpty()
                        ? 1000
                        : Math.max(1, (timers.peek().dueNanos() - System.nanoTime() + 999_999) / 1_000_000);
                if (!tasks.isEmpty()) {
                    selector.selectNow();
                } else {
                    selector.select(waitMillis);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isConnectable()) {
                        onConnectable(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.error("TCP pinger stopped: {}", e.toString());
            }
        } catch (RuntimeException e) {
            LOG.error("TCP pinger failed", e);
        } finally {
            failEverything();
        }
    }

    private void failEverything() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Attempt attempt) {
                close(attempt.channel());
                attempt.ping().result.complete(Outcomes.pingError(PingMethod.TCP, "prober shutting down"));
            }
        }
        waiting.forEach(ping -> ping.result.complete(Outcomes.pingError(PingMethod.TCP, "prober shutting down")));
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the socket is gone either way
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
            selector.close();
        } catch (IOException e) {
            LOG.debug("Closing selector: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
