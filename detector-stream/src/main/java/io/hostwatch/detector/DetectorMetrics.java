package io.hostwatch.detector;

import io.hostwatch.schema.HostStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The detector's Prometheus metrics, fed by the topology through {@link DetectorListener}: hosts per state (of the
 * tasks this instance owns), probe requests, ignored results, transitions and how far stream time trails the
 * wall clock when a tick is processed (the punctuation lag).
 */
public final class DetectorMetrics implements DetectorListener {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<TaskId, AtomicLongArray> hostsByTask = new ConcurrentHashMap<>();
    private final Counter probeRequests;
    private final Counter resultsIgnored;
    private final Counter transitions;
    private final Counter dropped;
    private final Counter rejected;
    private final Counter unauthenticated;
    private final Gauge tickLag;
    private final Counter timerSeconds;

    public DetectorMetrics() {
        GaugeWithCallback.builder()
                .name("hostwatch_detector_hosts")
                .help("Hosts per published state, over the tasks this instance owns")
                .labelNames("state")
                .callback(callback -> {
                    for (HostStatus state : HostStatus.values()) {
                        callback.call(hosts(state), state.name());
                    }
                })
                .register(registry);
        probeRequests = Counter.builder()
                .name("hostwatch_detector_probe_requests_total")
                .help("Probe requests sent (rate() gives probe requests/s)")
                .register(registry);
        resultsIgnored = Counter.builder()
                .name("hostwatch_detector_probe_results_ignored_total")
                .help("Probe results ignored as late, duplicate or for another silence")
                .register(registry);
        transitions = Counter.builder()
                .name("hostwatch_detector_transitions_total")
                .help("Host-state transitions published")
                .register(registry);
        dropped = Counter.builder()
                .name("hostwatch_detector_records_dropped_total")
                .help("Heartbeats and probe results dropped because they had no host key")
                .register(registry);
        rejected = Counter.builder()
                .name("hostwatch_detector_heartbeats_rejected_total")
                .help("Heartbeats rejected before they touched any state and dead-lettered, by reason")
                .labelNames("reason")
                .register(registry);
        for (HeartbeatRejection reason : HeartbeatRejection.values()) {
            rejected.labelValues(reason.label());
        }
        unauthenticated = Counter.builder()
                .name("hostwatch_detector_heartbeats_unauthenticated_total")
                .help("Heartbeats without an authenticator accepted by heartbeat.authentication=optional")
                .register(registry);
        tickLag = Gauge.builder()
                .name("hostwatch_detector_punctuation_lag_seconds")
                .help("Wall-clock time minus broker time of the last tick processed: how far stream time, "
                        + "and so every timer, trails reality")
                .register(registry);
        timerSeconds = Counter.builder()
                .name("hostwatch_detector_timer_seconds_total")
                .help("Time spent finding and running due host timers (deadline index included)")
                .register(registry);
    }

    /** Seconds spent running due timers so far (the per-tick work contract section 9 bounds). */
    public double timerSeconds() {
        return timerSeconds.get();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Hosts in {@code state} over this instance's tasks. */
    public long hosts(HostStatus state) {
        long sum = 0;
        for (AtomicLongArray counts : hostsByTask.values()) {
            sum += counts.get(state.ordinal());
        }
        return sum;
    }

    public double probeRequests() {
        return probeRequests.get();
    }

    @Override
    public void hostCount(TaskId task, HostStatus state, int delta) {
        hostsByTask
                .computeIfAbsent(task, t -> new AtomicLongArray(HostStatus.values().length))
                .addAndGet(state.ordinal(), delta);
    }

    @Override
    public void taskClosed(TaskId task) {
        hostsByTask.remove(task);
    }

    @Override
    public void probeRequested() {
        probeRequests.inc();
    }

    @Override
    public void probeResultIgnored() {
        resultsIgnored.inc();
    }

    @Override
    public void recordDropped() {
        dropped.inc();
    }

    /** Heartbeats rejected for {@code reason} so far. */
    public double heartbeatsRejected(String reason) {
        return rejected.labelValues(reason).get();
    }

    @Override
    public void heartbeatRejected(HeartbeatRejection reason) {
        rejected.labelValues(reason.label()).inc();
    }

    @Override
    public void heartbeatUnauthenticated() {
        unauthenticated.inc();
    }

    @Override
    public void transition() {
        transitions.inc();
    }

    @Override
    public void timerWork(long nanos) {
        timerSeconds.inc(nanos / 1e9);
    }

    @Override
    public void tickProcessed(long lagMs) {
        tickLag.set(lagMs / 1000.0);
    }
}
