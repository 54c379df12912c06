package io.hostwatch.detector;

import io.hostwatch.detector.console.ConsoleSource;
import io.hostwatch.detector.console.HostDetail;
import io.hostwatch.detector.console.HostRow;
import io.hostwatch.detector.console.ProberView;
import io.hostwatch.detector.console.TimelineEntry;
import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.StorageOutcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The console's read model over this instance's stores (interactive queries): turns {@link HostRecord}s and
 * {@link HostTimeline}s into the console's records, so the state machine never renders JSON and the JSON never
 * exposes the detector's private state layout.
 */
final class StoreConsoleSource implements ConsoleSource {
    private final KafkaStreams streams;

    StoreConsoleSource(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public void forEachLocalHost(Consumer<HostRow> rows) {
        try (KeyValueIterator<String, HostRecord> all =
                store(DetectorTopology.HOSTS_STORE, HostRecord.class).all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (entry.value.verdict != null) {
                    rows.accept(row(entry.key, entry.value));
                }
            }
        }
    }

    @Override
    public Optional<HostDetail> localDetail(String host, long serverTime) {
        HostRecord r = store(DetectorTopology.HOSTS_STORE, HostRecord.class).get(host);
        if (r == null || r.verdict == null) {
            return Optional.empty();
        }
        HostTimeline timeline =
                store(DetectorTopology.TIMELINES_STORE, HostTimeline.class).get(host);
        return Optional.of(detail(host, r, timeline, serverTime));
    }

    @Override
    public Map<String, DomainStatus> guard() {
        Map<String, DomainStatus> domains = new TreeMap<>();
        try (KeyValueIterator<String, DomainStatus> all =
                store(DetectorTopology.DOMAIN_GUARD_STORE, DomainStatus.class).all()) {
            all.forEachRemaining(entry -> domains.put(entry.key, entry.value));
        }
        return domains;
    }

    static HostRow row(String host, HostRecord r) {
        Verdict v = r.verdict;
        return new HostRow(
                host,
                v.state().name(),
                v.reason().name(),
                names(v.conditions()),
                r.domain(),
                v.since(),
                r.lastHeartbeatAt);
    }

    static HostDetail detail(String host, HostRecord r, HostTimeline timeline, long serverTime) {
        Classifier.Combined combined = Classifier.combine(r.evidence);
        List<ProberView> probers = new ArrayList<>();
        for (ProberEvidence e : r.evidence) {
            probers.add(prober(e));
        }
        List<TimelineEntry> entries = new ArrayList<>();
        if (timeline != null) {
            for (HostTimeline.Entry e : timeline.entries()) {
                entries.add(
                        0,
                        new TimelineEntry(
                                e.state().name(),
                                e.reason().name(),
                                names(e.conditions()),
                                e.previousState() == null
                                        ? null
                                        : e.previousState().name(),
                                e.since(),
                                e.observedAt()));
            }
        }
        Verdict v = r.verdict;
        return new HostDetail(
                row(host, r),
                v.observedAt(),
                name(v.previousState()),
                r.address,
                r.agentInstance,
                r.serviceStatus.name(),
                r.storageWriteOk,
                r.storageSequence,
                r.phase.name(),
                r.silentSince,
                r.attempt,
                combined.ping() == null ? null : combined.ping().getStatus().name(),
                combined.storage() == null
                        ? null
                        : combined.storage().getStatus().name(),
                combined.storage() == null ? null : combined.storage().getSelfIsolated(),
                probers,
                entries,
                serverTime);
    }

    private static ProberView prober(ProberEvidence e) {
        PingOutcome ping = e.ping();
        StorageOutcome storage = e.storage();
        return new ProberView(
                e.prober(),
                e.attempt(),
                e.receivedAt(),
                ping == null ? null : ping.getStatus().name(),
                ping == null ? null : ping.getMethod().name(),
                ping == null ? null : ping.getRttMicros(),
                ping == null ? null : ping.getDetail(),
                storage == null ? null : storage.getStatus().name(),
                storage == null ? null : storage.getSequence(),
                storage == null ? null : storage.getSelfIsolated(),
                storage == null ? null : storage.getDetail());
    }

    private static List<String> names(Collection<HostCondition> conditions) {
        return conditions.stream().map(Enum::name).sorted().toList();
    }

    private static String name(HostStatus status) {
        return status == null ? null : status.name();
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Class<V> type) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }
}
