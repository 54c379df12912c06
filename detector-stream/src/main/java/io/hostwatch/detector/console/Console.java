package io.hostwatch.detector.console;

import com.sun.net.httpserver.HttpHandler;
import io.hostwatch.runtime.ops.OpsSecurity;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The operator console of one detector instance: the page ({@code /console/}), its JSON API ({@code /api/...}) and
 * its change feed ({@code /api/events}), served on the detector's own HTTP port with the same bind rules as
 * {@code /hosts}.
 */
public final class Console implements AutoCloseable {
    /** Staleness bound: this many tick intervals without a processed tick, but never under two seconds. */
    static final int STALE_TICKS = 5;

    private static final long MIN_STALE_MS = 2_000;

    private final ConsoleApi api;
    private final ChangeFeed feed;

    private Console(ConsoleApi api) {
        this.api = api;
        this.feed = new ChangeFeed(this::fleetVersion);
    }

    /** @param security the ops endpoint's: the console sends its token (and scheme) to the other instances */
    public static Console start(
            KafkaStreams streams,
            ConsoleSource source,
            ChangeTracker tracker,
            HostInfo self,
            Duration tickInterval,
            OpsSecurity security) {
        long staleAfterMs = Math.max(MIN_STALE_MS, STALE_TICKS * tickInterval.toMillis());
        return new Console(
                new ConsoleApi(streams, source, tracker, self, staleAfterMs, System::currentTimeMillis, security));
    }

    /**
     * The routes that serve only the page's code, no fleet data: they load without the bearer token, so that the
     * page can ask the operator for it (the API routes need it).
     */
    public Set<String> publicRoutes() {
        return Set.of("/console", "/");
    }

    /** Routes for the ops server: path prefix to handler. */
    public Map<String, HttpHandler> routes() {
        ConsoleAssets assets = new ConsoleAssets();
        return Map.of("/api", api, "/api/events", feed, "/console", assets, "/", assets);
    }

    private String fleetVersion() {
        StringJoiner version = new StringJoiner(";");
        version.add(api.localVersion());
        for (HostInfo peer : api.peers()) {
            Optional<String> theirs = api.peerVersion(peer);
            version.add(peer.host() + ":" + peer.port() + "=" + theirs.orElse("unreachable"));
        }
        return version.toString();
    }

    @Override
    public void close() {
        feed.close();
    }
}
