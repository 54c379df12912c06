package io.hostwatch.detector.replay;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The {@link ProcessorContext} replay hands the detector's processors: its stores, and forwards to a callback
 * named by child node. The detector schedules no punctuator (its timers run on record time, contract section 4), so
 * scheduling one is refused rather than silently never fired.
 */
final class ReplayContext implements ProcessorContext<Object, Object> {
    /** Where a forwarded record goes: the child node's name, null for "all children". */
    interface Forwarder {
        void forward(Record<?, ?> record, String child);
    }

    private static final TaskId TASK = new TaskId(0, 0);

    private final String applicationId;
    private final Map<String, StateStore> stores;
    private final Forwarder forwarder;
    private long streamTime = -1;

    ReplayContext(String applicationId, Map<String, StateStore> stores, Forwarder forwarder) {
        this.applicationId = applicationId;
        this.stores = stores;
        this.forwarder = forwarder;
    }

    /** Stream time as a single task sees it: the highest record timestamp so far. */
    void advance(long timestamp) {
        streamTime = Math.max(streamTime, timestamp);
    }

    @Override
    public <K, V> void forward(Record<K, V> record) {
        forwarder.forward(record, null);
    }

    @Override
    public <K, V> void forward(Record<K, V> record, String childName) {
        forwarder.forward(record, childName);
    }

    @Override
    public String applicationId() {
        return applicationId;
    }

    @Override
    public TaskId taskId() {
        return TASK;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.empty();
    }

    @Override
    public Serde<?> keySerde() {
        throw new UnsupportedOperationException("the detector declares every serde explicitly");
    }

    @Override
    public Serde<?> valueSerde() {
        throw new UnsupportedOperationException("the detector declares every serde explicitly");
    }

    @Override
    public File stateDir() {
        throw new UnsupportedOperationException("replay keeps its state in memory");
    }

    @Override
    public StreamsMetrics metrics() {
        throw new UnsupportedOperationException("replay has no Streams metrics");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends StateStore> S getStateStore(String name) {
        StateStore store = stores.get(name);
        if (store == null) {
            throw new IllegalStateException("No store " + name + " in replay");
        }
        return (S) store;
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        throw new UnsupportedOperationException("replay cannot run punctuators; the detector uses record-time timers");
    }

    @Override
    public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
        throw new UnsupportedOperationException("replay cannot run punctuators; the detector uses record-time timers");
    }

    @Override
    public void commit() {}

    @Override
    public Map<String, Object> appConfigs() {
        return Map.of();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return Map.of();
    }

    @Override
    public long currentSystemTimeMs() {
        return System.currentTimeMillis();
    }

    @Override
    public long currentStreamTimeMs() {
        return streamTime;
    }
}
