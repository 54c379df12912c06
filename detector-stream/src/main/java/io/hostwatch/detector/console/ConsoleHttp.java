package io.hostwatch.detector.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.hostwatch.runtime.ops.OpsSecurity;
import io.hostwatch.runtime.ops.OpsServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/** The console's HTTP plumbing: query parsing, JSON answers and requests to the other detector instances. */
final class ConsoleHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_TYPE = "application/json";
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final OpsSecurity security;

    ConsoleHttp(OpsSecurity security) {
        this.security = security;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        OpsServer.respond(exchange, status, JSON_TYPE, JSON.writeValueAsBytes(body));
    }

    static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("error", message));
    }

    <T> T getJson(HostInfo instance, String pathAndQuery, Class<T> type) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(instance, pathAndQuery);
        if (response.statusCode() != 200) {
            throw new PeerException(
                    instance, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readValue(response.body(), type);
    }

    HttpResponse<byte[]> get(HostInfo instance, String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = security.authorize(HttpRequest.newBuilder(
                        URI.create(security.scheme() + "://" + instance.host() + ":" + instance.port() + pathAndQuery)))
                .timeout(PEER_TIMEOUT)
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Another instance answered with an error: the merged answer would be incomplete, so none is given. */
    static final class PeerException extends IOException {
        PeerException(HostInfo instance, int status, String body) {
            super("instance " + instance.host() + ":" + instance.port() + " answered " + status + ": " + body);
        }
    }
}
