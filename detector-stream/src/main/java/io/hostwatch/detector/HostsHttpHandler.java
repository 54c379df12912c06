package io.hostwatch.detector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hostwatch.runtime.ops.OpsSecurity;
import io.hostwatch.runtime.ops.OpsServer;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /hosts[?state=S]} and {@code GET /hosts/{host}} over Kafka Streams interactive queries. A host is
 * answered by the instance whose task owns it: any instance forwards the request there ({@code application.server}
 * tells where); a list gathers the local part of every instance. {@code local=true} marks a forwarded request,
 * which is answered from local state only, so requests never bounce.
 */
final class HostsHttpHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HostsHttpHandler.class);
    private static final String JSON = "application/json";

    private final KafkaStreams streams;
    private final HostStateMachine renderer;
    private final HostInfo self;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final OpsSecurity security;

    HostsHttpHandler(KafkaStreams streams, HostStateMachine renderer, HostInfo self, OpsSecurity security) {
        this.security = security;
        this.streams = streams;
        this.renderer = renderer;
        this.self = self;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"GET".equals(exchange.getRequestMethod())) {
                OpsServer.respond(exchange, 405, "text/plain", "GET only\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean local = "true".equals(query.get("local"));
            if (path.equals("/hosts") || path.equals("/hosts/")) {
                list(exchange, query.get("state"), local);
            } else {
                one(exchange, URLDecoder.decode(path.substring("/hosts/".length()), StandardCharsets.UTF_8), local);
            }
        } catch (InvalidStateStoreException e) {
            OpsServer.respond(
                    exchange, 503, "text/plain", "state not queryable now (rebalancing?): " + e.getMessage() + "\n");
        } catch (IllegalArgumentException e) {
            OpsServer.respond(exchange, 400, "text/plain", e.getMessage() + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.warn("Query {} failed", exchange.getRequestURI(), e);
            OpsServer.respond(exchange, 502, "text/plain", "query failed: " + e + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            OpsServer.respond(exchange, 503, "text/plain", "interrupted\n");
        } finally {
            exchange.close();
        }
    }

    private void one(HttpExchange exchange, String host, boolean local) throws IOException, InterruptedException {
        KeyQueryMetadata owner = streams.queryMetadataForKey(
                DetectorTopology.HOSTS_STORE, host, Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            OpsServer.respond(exchange, 503, "text/plain", "no instance owns " + host + " right now\n");
            return;
        }
        if (!owner.activeHost().equals(self)) {
            if (local) {
                OpsServer.respond(exchange, 503, "text/plain", "not the owner of " + host + "\n");
                return;
            }
            HttpResponse<String> response = get(
                    owner.activeHost(), "/hosts/" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "?local=true");
            OpsServer.respond(
                    exchange,
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("text/plain"),
                    response.body());
            return;
        }
        HostRecord record = store().get(host);
        if (record == null || record.verdict == null) {
            OpsServer.respond(exchange, 404, "text/plain", "unknown host " + host + "\n");
            return;
        }
        OpsServer.respond(exchange, 200, JSON, HostStateJson.toJson(renderer.toHostState(host, record)));
    }

    private void list(HttpExchange exchange, String state, boolean local) throws IOException, InterruptedException {
        HostStatus wanted =
                state == null || state.isBlank() ? null : HostStatus.valueOf(state.toUpperCase(Locale.ROOT));
        List<HostState> mine = new ArrayList<>();
        try (KeyValueIterator<String, HostRecord> all = store().all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (entry.value.verdict != null && (wanted == null || entry.value.verdict.state() == wanted)) {
                    mine.add(renderer.toHostState(entry.key, entry.value));
                }
            }
        }
        mine.sort(Comparator.comparing(HostState::getHost));
        if (local) {
            OpsServer.respond(exchange, 200, JSON, HostStateJson.toJsonArray(mine));
            return;
        }
        ArrayNode merged = HostStateJson.mapper().createArrayNode();
        mine.forEach(s -> merged.add(HostStateJson.toNode(s)));
        for (StreamsMetadata other : streams.streamsMetadataForStore(DetectorTopology.HOSTS_STORE)) {
            if (other.hostInfo().equals(self)) {
                continue;
            }
            HttpResponse<String> response =
                    get(other.hostInfo(), "/hosts?local=true" + (wanted == null ? "" : "&state=" + wanted.name()));
            if (response.statusCode() != 200) {
                OpsServer.respond(
                        exchange,
                        502,
                        "text/plain",
                        "instance " + other.hostInfo() + " answered " + response.statusCode() + ": " + response.body());
                return;
            }
            for (JsonNode node : HostStateJson.mapper().readTree(response.body())) {
                merged.add(node);
            }
        }
        List<JsonNode> sorted = new ArrayList<>();
        merged.forEach(sorted::add);
        sorted.sort(Comparator.comparing(node -> node.get("host").asText()));
        ArrayNode out = HostStateJson.mapper().createArrayNode();
        sorted.forEach(out::add);
        OpsServer.respond(exchange, 200, JSON, HostStateJson.mapper().writeValueAsString(out));
    }

    private ReadOnlyKeyValueStore<String, HostRecord> store() {
        return streams.store(StoreQueryParameters.fromNameAndType(
                DetectorTopology.HOSTS_STORE, QueryableStoreTypes.keyValueStore()));
    }

    private HttpResponse<String> get(HostInfo instance, String pathAndQuery) throws IOException, InterruptedException {
        // every instance has the same token and scheme: the caller's token is never forwarded, ours is
        HttpRequest request = security.authorize(HttpRequest.newBuilder(
                        URI.create(security.scheme() + "://" + instance.host() + ":" + instance.port() + pathAndQuery)))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> query(String raw) {
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
}
