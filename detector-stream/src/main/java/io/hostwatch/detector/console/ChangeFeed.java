package io.hostwatch.detector.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: server-sent events telling open consoles that something they show changed, so they
 * refetch it (the events carry no data a page could get out of order). One thread polls the detector's version
 * (this instance's and every peer's, see {@link ConsoleApi#localVersion()}) every {@link #POLL_MS} ms while clients
 * are connected and sends {@code event: change} when it moved; a comment every {@link #KEEPALIVE_MS} ms keeps
 * proxies from closing an idle stream. The HTTP server's two threads are never held: a client's exchange is kept
 * open after its handler returned and written by the feed thread. At most {@link #MAX_CLIENTS} clients (503 after).
 */
final class ChangeFeed implements HttpHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    static final int MAX_CLIENTS = 32;
    static final long POLL_MS = 200;
    static final long KEEPALIVE_MS = 15_000;

    private final Supplier<String> version;
    private final List<HttpExchange> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "console-change-feed");
        t.setDaemon(true);
        return t;
    });
    private String lastVersion = "";
    private long lastWriteAt = System.currentTimeMillis();

    ChangeFeed(Supplier<String> version) {
        this.version = version;
        thread.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            ConsoleHttp.error(exchange, 405, "GET only");
            exchange.close();
            return;
        }
        if (clients.size() >= MAX_CLIENTS) {
            ConsoleHttp.error(exchange, 503, "too many console clients (" + MAX_CLIENTS + ")");
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        // retry: how soon a browser reconnects after the detector restarted
        if (write(exchange, "retry: 1000\nevent: change\ndata: hello\n\n")) {
            clients.add(exchange);
        }
    }

    int clients() {
        return clients.size();
    }

    private void poll() {
        try {
            if (clients.isEmpty()) {
                lastVersion = "";
                return;
            }
            String now = version.get();
            long nowMs = System.currentTimeMillis();
            if (!now.equals(lastVersion)) {
                lastVersion = now;
                broadcast("event: change\ndata: " + now.replace('\n', ' ') + "\n\n");
            } else if (nowMs - lastWriteAt >= KEEPALIVE_MS) {
                broadcast(": keepalive\n\n");
            }
        } catch (RuntimeException e) {
            // a failed version read (store rebalancing) is tried again on the next poll
            LOG.debug("Change feed poll failed", e);
        }
    }

    private void broadcast(String event) {
        lastWriteAt = System.currentTimeMillis();
        for (HttpExchange client : clients) {
            if (!write(client, event)) {
                clients.remove(client);
            }
        }
    }

    private static boolean write(HttpExchange exchange, String event) {
        try {
            OutputStream out = exchange.getResponseBody();
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            exchange.close();
            return false;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        clients.forEach(HttpExchange::close);
        clients.clear();
    }
}
