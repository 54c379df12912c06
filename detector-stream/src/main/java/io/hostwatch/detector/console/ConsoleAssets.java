package io.hostwatch.detector.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hostwatch.runtime.ops.OpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console page's static files from the jar ({@code console/} on the classpath): {@code /console/} is
 * {@code index.html}, {@code /} redirects there. Only plain file names are served, so no path can leave the
 * directory.
 */
final class ConsoleAssets implements HttpHandler {
    static final String PREFIX = "/console/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/") || path.equals("/console")) {
                exchange.getResponseHeaders().set("Location", PREFIX);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) || !path.startsWith(PREFIX)) {
                OpsServer.respond(exchange, 404, "text/plain", "not found\n");
                return;
            }
            String name = path.substring(PREFIX.length());
            if (name.isEmpty()) {
                name = "index.html";
            }
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            byte[] body = NAME.matcher(name).matches() && type != null ? read(name) : null;
            if (body == null) {
                OpsServer.respond(exchange, 404, "text/plain", "not found\n");
                return;
            }
            // the page and the detector are one version: revalidate so an upgrade is never half-loaded
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            OpsServer.respond(exchange, 200, type, body);
        } finally {
            exchange.close();
        }
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
