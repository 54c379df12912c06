package io.hostwatch.runtime.ops;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP endpoint every component can expose: {@code GET /health} and {@code GET /metrics} (Prometheus
 * text format), plus component routes such as the detector's {@code /hosts}. Uses the JDK's HTTP server: no
 * framework for three routes.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    static {
        // The JDK server leaves Nagle on: a response written as headers then body waits for the client's delayed
        // ACK, ~50-100 ms per request whatever its size (measured on the console's API). Read once, when the
        // first server is created, so it must be set before that; an operator's own -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param port        0 for a free port
     * @param extraRoutes path prefix to handler, e.g. {@code "/hosts"}
     */
    public static OpsServer start(
            String bindAddress,
            int port,
            Supplier<Health> health,
            PrometheusRegistry registry,
            Map<String, HttpHandler> extraRoutes)
            throws IOException {
        return start(bindAddress, port, health, registry, extraRoutes, OpsSecurity.NONE, Set.of());
    }

    /**
     * @param security     TLS and bearer token ({@link OpsSecurity#NONE}: plain HTTP, no token)
     * @param publicRoutes routes of {@code extraRoutes} that need no token because they serve no data (the console's
     *                     static page, which must load before it can ask for the token); {@code /health} is always
     *                     public, for load balancers and orchestrators
     */
    public static OpsServer start(
            String bindAddress,
            int port,
            Supplier<Health> health,
            PrometheusRegistry registry,
            Map<String, HttpHandler> extraRoutes,
            OpsSecurity security,
            Set<String> publicRoutes)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(bindAddress, port);
        HttpServer server;
        if (security.tls().isPresent()) {
            HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(security.tls().get()));
            server = https;
        } else {
            server = HttpServer.create(address, 16);
        }
        BearerTokenFilter tokenFilter = new BearerTokenFilter(security);
        server.createContext("/health", exchange -> {
            Health current = health.get();
            respond(
                    exchange,
                    current.up() ? 200 : 503,
                    "text/plain; charset=utf-8",
                    (current.up() ? "UP " : "DOWN ") + current.detail() + "\n");
        });
        PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
        server.createContext("/metrics", exchange -> {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    writer.write(body, registry.scrape());
                    respond(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
                })
                .getFilters()
                .add(tokenFilter);
        extraRoutes.forEach((path, handler) -> {
            HttpContext context = server.createContext(path, handler);
            if (!publicRoutes.contains(path)) {
                context.getFilters().add(tokenFilter);
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(2, new DaemonThreadFactory("ops-http"));
        server.setExecutor(executor);
        server.start();
        LOG.info(
                "Ops endpoint listening on {}://{}:{} (/health, /metrics{}){}",
                security.scheme(),
                bindAddress,
                server.getAddress().getPort(),
                extraRoutes.isEmpty() ? "" : ", " + String.join(", ", extraRoutes.keySet()),
                security.token().isPresent() ? "; bearer token required but on /health " + publicRoutes : "");
        return new OpsServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
