package io.hostwatch.prober;

import io.hostwatch.schema.ProbeResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/** The prober's Prometheus metrics, in its own registry (served on /metrics). */
final class ProberMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Counter results;
    private final Counter deadLetters;
    private final Counter expired;
    private final Counter rewinds;
    private final Histogram duration;
    private final Gauge selfCheck;

    ProberMetrics() {
        requests = Counter.builder()
                .name("hostwatch_prober_requests")
                .help("Probe requests read and decoded")
                .register(registry);
        results = Counter.builder()
                .name("hostwatch_prober_results")
                .help("Probe results acknowledged by the broker, by ping and storage status")
                .labelNames("ping", "storage")
                .register(registry);
        deadLetters = Counter.builder()
                .name("hostwatch_prober_dead_letters")
                .help("Undecodable probe requests moved to the dead-letter topic")
                .register(registry);
        expired = Counter.builder()
                .name("hostwatch_prober_expired_requests")
                .help("Requests answered without probing because they were older than probe.request.max.age.ms")
                .register(registry);
        rewinds = Counter.builder()
                .name("hostwatch_prober_rewinds")
                .help("Partitions re-read from the last committed offset after a result could not be published")
                .register(registry);
        duration = Histogram.builder()
                .name("hostwatch_prober_probe_duration_seconds")
                .help("Time from reading a request to its result being acknowledged")
                .classicUpperBounds(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 5)
                .register(registry);
        selfCheck = Gauge.builder()
                .name("hostwatch_prober_selfcheck_ok")
                .help("1 if the self-check part passed at the last check")
                .labelNames("part")
                .register(registry);
    }

    void registerInFlight(IntSupplier inFlight) {
        GaugeWithCallback.builder()
                .name("hostwatch_prober_in_flight")
                .help("Requests being probed or published")
                .callback(cb -> cb.call(inFlight.getAsInt()))
                .register(registry);
    }

    PrometheusRegistry registry() {
        return registry;
    }

    void requestRead() {
        requests.inc();
    }

    void resultPublished(ProbeResult result, long nanos) {
        results.labelValues(
                        result.getPing().getStatus().name(),
                        result.getStorage().getStatus().name())
                .inc();
        duration.observe(nanos / 1e9);
    }

    void deadLettered() {
        deadLetters.inc();
    }

    void expired() {
        expired.inc();
    }

    void rewound() {
        rewinds.inc();
    }

    void selfCheck(SelfCheck.Status status) {
        selfCheck.labelValues("network").set(status.networkOk() ? 1 : 0);
        selfCheck.labelValues("storage").set(status.storageOk() ? 1 : 0);
    }
}
