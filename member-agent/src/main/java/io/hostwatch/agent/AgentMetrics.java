package io.hostwatch.agent;

import io.hostwatch.agent.storage.StorageHeartbeatWriter;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The agent's Prometheus metrics (served on {@code /metrics} when {@code ops.port} is set) and the counters tests
 * and the benchmark read. Label values are bound once: the heartbeat path only increments.
 */
public final class AgentMetrics implements StorageHeartbeatWriter.Listener {
    /** Why a heartbeat never reached the broker. */
    public enum DropReason {
        /** Not acknowledged within heartbeat.delivery.timeout.ms (broker down, no metadata, network). */
        TIMEOUT,
        /** The broker or the producer rejected it for another reason. */
        ERROR,
        /** The producer or the schema id is not there yet (start-up, registry down, producer being replaced). */
        NOT_READY
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter sent;
    private final Counter delivered;
    private final CounterDataPoint[] dropped;
    private final Counter valueBytes;
    private final Histogram ackLatency;
    private final CounterDataPoint storageOk;
    private final CounterDataPoint storageSlow;
    private final CounterDataPoint storageFailed;
    private final Counter storageSkipped;
    private final Counter producerReplaced;

    public AgentMetrics() {
        sent = Counter.builder()
                .name("hostwatch_agent_heartbeats_sent_total")
                .help("Network heartbeats handed to the producer")
                .withoutExemplars()
                .register(registry);
        delivered = Counter.builder()
                .name("hostwatch_agent_heartbeats_delivered_total")
                .help("Network heartbeats acknowledged by the broker (acks=all)")
                .withoutExemplars()
                .register(registry);
        Counter droppedCounter = Counter.builder()
                .name("hostwatch_agent_heartbeats_dropped_total")
                .help("Network heartbeats dropped instead of queued, by reason")
                .labelNames("reason")
                .withoutExemplars()
                .register(registry);
        dropped = new CounterDataPoint[DropReason.values().length];
        for (DropReason reason : DropReason.values()) {
            dropped[reason.ordinal()] = droppedCounter.labelValues(reason.name().toLowerCase(java.util.Locale.ROOT));
        }
        valueBytes = Counter.builder()
                .name("hostwatch_agent_heartbeat_value_bytes_total")
                .help("Encoded heartbeat value bytes handed to the producer")
                .withoutExemplars()
                .register(registry);
        ackLatency = Histogram.builder()
                .name("hostwatch_agent_heartbeat_ack_seconds")
                .help("Time from send to broker acknowledgement")
                .classicOnly()
                .classicUpperBounds(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .withoutExemplars()
                .register(registry);
        Counter storageWrites = Counter.builder()
                .name("hostwatch_agent_storage_writes_total")
                .help(
                        "Storage heartbeat writes by result (ok, slow = succeeded after storage.write.timeout.ms, failed)")
                .labelNames("result")
                .withoutExemplars()
                .register(registry);
        storageOk = storageWrites.labelValues("ok");
        storageSlow = storageWrites.labelValues("slow");
        storageFailed = storageWrites.labelValues("failed");
        storageSkipped = Counter.builder()
                .name("hostwatch_agent_storage_writes_skipped_total")
                .help("Storage heartbeats not started because the previous write was still running")
                .withoutExemplars()
                .register(registry);
        producerReplaced = Counter.builder()
                .name("hostwatch_agent_producer_replaced_total")
                .help("Producers closed and recreated after a fatal producer error")
                .withoutExemplars()
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    void sent(int bytes) {
        sent.inc();
        valueBytes.inc(bytes);
    }

    void delivered(long latencyNanos) {
        delivered.inc();
        ackLatency.observe(latencyNanos / 1e9);
    }

    void dropped(DropReason reason) {
        dropped[reason.ordinal()].inc();
    }

    void producerReplaced() {
        producerReplaced.inc();
    }

    @Override
    public void written(long nanos, boolean inTime) {
        (inTime ? storageOk : storageSlow).inc();
    }

    @Override
    public void failed(String reason) {
        storageFailed.inc();
    }

    @Override
    public void skippedWhileHung() {
        storageSkipped.inc();
    }

    public long heartbeatsSent() {
        return sent.getLongValue();
    }

    public long heartbeatsDelivered() {
        return delivered.getLongValue();
    }

    public long heartbeatsDropped(DropReason reason) {
        return (long) dropped[reason.ordinal()].get();
    }

    public long heartbeatsDropped() {
        long total = 0;
        for (CounterDataPoint point : dropped) {
            total += (long) point.get();
        }
        return total;
    }

    public long storageWritesOk() {
        return (long) storageOk.get();
    }

    public long producerReplacements() {
        return producerReplaced.getLongValue();
    }
}
