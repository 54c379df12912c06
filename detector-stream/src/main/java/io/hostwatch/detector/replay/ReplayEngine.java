package io.hostwatch.detector.replay;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.detector.DetectorListener;
import io.hostwatch.detector.DetectorProcessors;
import io.hostwatch.detector.DetectorTopology;
import io.hostwatch.detector.DomainStatus;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.serde.UndecodableRecordException;
import io.hostwatch.topics.Topic;
import io.hostwatch.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recorded records through the detector's own processors ({@link DetectorProcessors}, as the live topology builds
 * them) without Kafka Streams: one {@link ReplayContext} over in-memory {@link ReplayStore}s, all partitions as one
 * task, as TopologyTestDriver did. Each record is applied the way the driver applied it: decoded with the source
 * topic's serdes (undecodable records skipped, as the dead-letter handler does live), processed by the host detector
 * (a failing step logged and skipped, as the live processing exception handler does), then the guard deltas it
 * forwarded are summed by the guard aggregator and written to the guard store before the next record.
 */
final class ReplayEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayEngine.class);

    private final Topics topics;
    private final ReplayObserver observer;
    private final ReplayContext hostContext;
    private final Processor<String, Object, String, Object> hostDetector;
    private final Processor<String, Object, String, Object> aggregator;
    private final Processor<String, Object, Void, Void> updater;
    private final ReplayStore<DomainStatus> guardStore;
    private final Map<String, String> domains = new HashMap<>();
    private final List<Record<?, ?>> deltas = new ArrayList<>();
    private long processed;

    @SuppressWarnings("unchecked")
    ReplayEngine(DetectorConfig config, Topics topics, ReplayObserver observer) {
        this.topics = topics;
        this.observer = observer;
        Map<String, StateStore> stores = new HashMap<>();
        DetectorProcessors.storeValueSerdes()
                .forEach((name, serde) -> stores.put(name, new ReplayStore<>(name, (Serde<Object>) serde)));
        guardStore = (ReplayStore<DomainStatus>) stores.get(DetectorTopology.DOMAIN_GUARD_STORE);
        String applicationId = config.applicationId() + "-replay";
        hostDetector = DetectorProcessors.hostDetector(config, DetectorListener.NONE);
        aggregator = DetectorProcessors.domainGuardAggregator(config);
        updater = DetectorProcessors.domainGuardUpdater();
        hostContext = new ReplayContext(applicationId, stores, this::fromHostDetector);
        ReplayContext aggregatorContext =
                new ReplayContext(applicationId, stores, (record, child) -> updater.process(cast(record)));
        ReplayContext updaterContext = new ReplayContext(applicationId, stores, (record, child) -> {});
        updater.init(cast(updaterContext));
        aggregator.init(cast(aggregatorContext));
        hostDetector.init(cast(hostContext));
    }

    /** Applies one recorded record and everything it causes. */
    void process(ConsumerRecord<byte[], byte[]> record) {
        processed++;
        Topic<?, ?> topic = topicOf(record.topic());
        Object key;
        Object value;
        try {
            key = topic.keySerde().deserializer().deserialize(record.topic(), record.headers(), record.key());
            value = topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (UndecodableRecordException e) {
            observer.undecodable(record.topic(), record.partition(), record.offset());
            return;
        }
        String host = (String) key;
        if (value instanceof Heartbeat heartbeat && host != null) {
            domains.put(host, heartbeat.getFailureDomain() == null ? "default" : heartbeat.getFailureDomain());
        }
        observer.input(record.topic(), host, value, record.timestamp());
        hostContext.advance(record.timestamp());
        try {
            hostDetector.process(new Record<>(host, value, record.timestamp(), record.headers()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "Processing {}-{}@{} failed; skipped as the live detector does: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
        }
        if (!deltas.isEmpty()) {
            List<Record<?, ?>> pending = new ArrayList<>(deltas);
            deltas.clear();
            for (Record<?, ?> delta : pending) {
                aggregator.process(cast(delta));
            }
        }
    }

    /** Records processed so far, undecodable ones included. */
    long processed() {
        return processed;
    }

    /** The guard's view of a domain now; null for a domain never counted. */
    DomainStatus guard(String domain) {
        return guardStore.get(domain);
    }

    private void fromHostDetector(Record<?, ?> record, String child) {
        if (DetectorTopology.DOMAIN_DELTAS_SINK.equals(child)) {
            deltas.add(record);
        } else if (DetectorTopology.HOST_STATE_HISTORY_SINK.equals(child)) {
            HostState state = (HostState) record.value();
            observer.transition(state, guard(domains.getOrDefault(state.getHost(), "default")));
        } else if (DetectorTopology.PROBE_REQUESTS_SINK.equals(child)) {
            observer.probeRequest((ProbeRequest) record.value());
        } else if (!DetectorTopology.HOST_STATES_SINK.equals(child)) {
            throw new IllegalStateException("The host detector forwarded to " + child + ", which replay does not know");
        }
    }

    private Topic<?, ?> topicOf(String name) {
        if (name.equals(topics.heartbeats().name())) {
            return topics.heartbeats();
        }
        if (name.equals(topics.ticks().name())) {
            return topics.ticks();
        }
        if (name.equals(topics.probeResults().name())) {
            return topics.probeResults();
        }
        throw new IllegalArgumentException("Not a detector input topic: " + name);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
