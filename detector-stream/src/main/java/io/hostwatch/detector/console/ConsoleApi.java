package io.hostwatch.detector.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.hostwatch.detector.DetectorTopology;
import io.hostwatch.detector.DomainStatus;
import io.hostwatch.runtime.ops.OpsSecurity;
import io.hostwatch.runtime.ops.OpsServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's JSON API under {@code /api}, answered by any instance for the whole detector:
 *
 * <ul>
 *   <li>{@code GET /api/summary}: hosts per state and every instance's health ({@link Summary});
 *   <li>{@code GET /api/hosts?state=&domain=&q=&offset=&limit=}: one page of the host table ({@link HostPage}),
 *       limit at most {@value HostFilter#MAX_LIMIT};
 *   <li>{@code GET /api/hosts/{host}}: evidence and timeline ({@link HostDetail}), 404 for an unknown host;
 *   <li>{@code GET /api/domains}: failure domains with the mass-failure guard's decision ({@link DomainView}).
 * </ul>
 *
 * <p>Instances ask each other with {@code local=true} ({@code /api/slice}, {@code /api/status},
 * {@code /api/version}, {@code /api/hosts/{host}}), answered from local state only, so requests never bounce.
 * Lists are filtered and cut to the page on every instance before they travel.
 */
final class ConsoleApi implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
    private static final int MAX_WINDOW = HostFilter.MAX_OFFSET + HostFilter.MAX_LIMIT;

    private final KafkaStreams streams;
    private final ConsoleSource source;
    private final ChangeTracker tracker;
    private final HostInfo self;
    private final long staleAfterMs;
    private final LongSupplier clock;
    private final ConsoleHttp http;

    ConsoleApi(
            KafkaStreams streams,
            ConsoleSource source,
            ChangeTracker tracker,
            HostInfo self,
            long staleAfterMs,
            LongSupplier clock,
            OpsSecurity security) {
        this.http = new ConsoleHttp(security);
        this.streams = streams;
        this.source = source;
        this.tracker = tracker;
        this.self = self;
        this.staleAfterMs = staleAfterMs;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"GET".equals(exchange.getRequestMethod())) {
                ConsoleHttp.error(exchange, 405, "GET only");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> params =
                    ConsoleHttp.query(exchange.getRequestURI().getRawQuery());
            boolean local = "true".equals(params.get("local"));
            switch (path) {
                case "/api/summary" -> ConsoleHttp.json(exchange, 200, summary());
                case "/api/hosts", "/api/hosts/" -> ConsoleHttp.json(exchange, 200, hosts(HostFilter.parse(params)));
                case "/api/domains" -> ConsoleHttp.json(exchange, 200, domains());
                case "/api/slice" -> ConsoleHttp.json(exchange, 200, localSlice(params));
                case "/api/status" -> ConsoleHttp.json(exchange, 200, localStatus());
                case "/api/version" -> OpsServer.respond(exchange, 200, "text/plain", localVersion());
                default -> {
                    if (path.startsWith("/api/hosts/")) {
                        detail(
                                exchange,
                                URLDecoder.decode(path.substring("/api/hosts/".length()), StandardCharsets.UTF_8),
                                local);
                    } else {
                        ConsoleHttp.error(exchange, 404, "no such endpoint " + path);
                    }
                }
            }
        } catch (InvalidStateStoreException | IllegalStateException e) {
            // Kafka Streams not (yet or any more) running, or rebalancing: the page shows it in its banner
            ConsoleHttp.error(exchange, 503, "state not queryable now: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            ConsoleHttp.error(exchange, 400, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Console query {} failed", exchange.getRequestURI(), e);
            ConsoleHttp.error(exchange, 502, "query failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ConsoleHttp.error(exchange, 503, "interrupted");
        } finally {
            exchange.close();
        }
    }

    HostPage hosts(HostFilter filter) throws IOException, InterruptedException {
        return fleetSlice(filter).page(filter, clock.getAsLong());
    }

    Summary summary() throws IOException, InterruptedException {
        HostSlice slice = fleetSlice(HostFilter.ALL_COUNTS_ONLY);
        List<InstanceStatus> instances = new ArrayList<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            instances.add(statusOf(instance.hostInfo()));
        }
        if (instances.isEmpty()) {
            instances.add(localStatus());
        }
        boolean healthy = instances.stream().allMatch(InstanceStatus::healthy);
        return new Summary(slice.counts(), slice.total(), instances, healthy, clock.getAsLong());
    }

    List<DomainView> domains() throws IOException, InterruptedException {
        Map<String, HostSlice.DomainTally> tallies =
                fleetSlice(HostFilter.ALL_COUNTS_ONLY).domains();
        // the guard store is global: every instance has every domain's totals
        Map<String, DomainStatus> guard = source.guard();
        TreeSet<String> names = new TreeSet<>(tallies.keySet());
        names.addAll(guard.keySet());
        List<DomainView> views = new ArrayList<>();
        for (String name : names) {
            HostSlice.DomainTally tally = tallies.getOrDefault(name, new HostSlice.DomainTally(0, 0));
            DomainStatus status = guard.getOrDefault(name, new DomainStatus(0, 0, false));
            views.add(new DomainView(
                    name, tally.hosts(), tally.notRunning(), status.known(), status.silent(), status.holding()));
        }
        return views;
    }

    /** What the change feed compares: moves when this instance publishes, the guard changes or its health does. */
    String localVersion() {
        InstanceStatus status = localStatus();
        return tracker.transitions() + ":" + source.guard().hashCode() + ":" + status.streamsState() + ":"
                + status.stale();
    }

    InstanceStatus localStatus() {
        long now = System.currentTimeMillis();
        long lastTick = tracker.lastTickAtMs();
        long age = lastTick < 0 ? -1 : now - lastTick;
        boolean ownsTasks = streams.metadataForLocalThreads().stream()
                .anyMatch(thread -> !thread.activeTasks().isEmpty());
        boolean stale = ownsTasks && (age < 0 || age > staleAfterMs);
        return new InstanceStatus(
                self.host() + ":" + self.port(), streams.state().name(), stale, age);
    }

    List<HostInfo> peers() {
        List<HostInfo> peers = new ArrayList<>();
        for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
            if (!instance.hostInfo().equals(self)) {
                peers.add(instance.hostInfo());
            }
        }
        return peers;
    }

    /** A peer's version for the change feed; empty when it does not answer (the feed reports that as a change). */
    Optional<String> peerVersion(HostInfo peer) {
        try {
            HttpResponse<byte[]> response = http.get(peer, "/api/version?local=true");
            return response.statusCode() == 200
                    ? Optional.of(new String(response.body(), StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private InstanceStatus statusOf(HostInfo instance) {
        if (instance.equals(self)) {
            return localStatus();
        }
        try {
            return http.getJson(instance, "/api/status?local=true", InstanceStatus.class);
        } catch (IOException e) {
            return new InstanceStatus(instance.host() + ":" + instance.port(), InstanceStatus.UNREACHABLE, true, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new InstanceStatus(instance.host() + ":" + instance.port(), InstanceStatus.UNREACHABLE, true, -1);
        }
    }

    private HostSlice fleetSlice(HostFilter filter) throws IOException, InterruptedException {
        List<HostSlice> slices = new ArrayList<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(DetectorTopology.HOSTS_STORE)) {
            if (instance.hostInfo().equals(self)) {
                slices.add(localSlice(filter, filter.window()));
            } else {
                slices.add(http.getJson(instance.hostInfo(), "/api/slice?" + filter.peerQuery(), HostSlice.class));
            }
        }
        return HostSlice.merge(slices, filter.window());
    }

    private HostSlice localSlice(Map<String, String> params) {
        HostFilter filter = HostFilter.parse(Map.of(
                "state", params.getOrDefault("state", ""),
                "domain", params.getOrDefault("domain", ""),
                "q", params.getOrDefault("q", ""),
                "limit", "0"));
        int window;
        try {
            window = Integer.parseInt(params.getOrDefault("window", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("window must be an integer");
        }
        if (window < 0 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be 0.." + MAX_WINDOW);
        }
        return localSlice(filter, window);
    }

    private HostSlice localSlice(HostFilter filter, int window) {
        HostSlice.Builder builder = new HostSlice.Builder(filter, window);
        source.forEachLocalHost(builder::add);
        return builder.build();
    }

    private void detail(HttpExchange exchange, String host, boolean local) throws IOException, InterruptedException {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host named");
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(
                DetectorTopology.HOSTS_STORE, host, Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            ConsoleHttp.error(exchange, 503, "no instance owns " + host + " right now");
            return;
        }
        if (owner.activeHost().equals(self)) {
            Optional<HostDetail> detail = source.localDetail(host, clock.getAsLong());
            if (detail.isPresent()) {
                ConsoleHttp.json(exchange, 200, detail.get());
            } else {
                ConsoleHttp.error(exchange, 404, "unknown host " + host);
            }
            return;
        }
        if (local) {
            ConsoleHttp.error(exchange, 503, "not the owner of " + host);
            return;
        }
        HttpResponse<byte[]> response = http.get(
                owner.activeHost(), "/api/hosts/" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "?local=true");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        OpsServer.respond(
                exchange,
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(ConsoleHttp.JSON_TYPE),
                response.body());
    }
}
