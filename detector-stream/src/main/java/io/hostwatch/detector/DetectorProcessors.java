package io.hostwatch.detector;

import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.StorageOutcome;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;

/**
 * The detector's processors and store serdes as {@link DetectorTopology} builds them, for the one other caller that
 * must run exactly the same code: replay ({@code io.hostwatch.detector.replay}), which drives them without Kafka
 * Streams. Keeping construction here means a check added to the processing path is replayed too.
 */
public final class DetectorProcessors {
    private DetectorProcessors() {}

    /** The per-task processor of node {@value DetectorTopology#HOST_DETECTOR}. */
    public static Processor<String, Object, String, Object> hostDetector(
            DetectorConfig config, DetectorListener listener) {
        DetectionSettings settings = config.detection();
        return new HostDetectorProcessor(
                new HostStateMachine(settings, DetectorTopology.version()),
                settings,
                new HeartbeatGate(config.heartbeatAuth()),
                listener);
    }

    /**
     * Node {@value DetectorTopology#DOMAIN_GUARD_AGGREGATOR}; its input values are what the host detector forwards
     * to {@value DetectorTopology#DOMAIN_DELTAS_SINK}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Processor<String, Object, String, Object> domainGuardAggregator(DetectorConfig config) {
        DetectionSettings settings = config.detection();
        Processor aggregator =
                new DomainGuardAggregator(settings.massFailureFraction(), settings.massFailureMinSilent());
        return aggregator;
    }

    /** Node {@value DetectorTopology#DOMAIN_GUARD_UPDATER}, which keeps the global guard store. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Processor<String, Object, Void, Void> domainGuardUpdater() {
        Processor updater = new DomainGuardStoreUpdater();
        return updater;
    }

    /** The value serde of each store, by store name (keys are host ids or failure domains as strings). */
    public static Map<String, Serde<?>> storeValueSerdes() {
        DomainStatus.StatusSerde status = new DomainStatus.StatusSerde();
        return Map.of(
                DetectorTopology.HOSTS_STORE,
                new HostRecordSerde(),
                DetectorTopology.TIMELINES_STORE,
                new HostTimelineSerde(),
                DetectorTopology.DOMAIN_COUNTS_STORE,
                status,
                DetectorTopology.DOMAIN_GUARD_STORE,
                status);
    }

    /** The row of contract section 1's table that {@link Classifier} picks for this combined evidence. */
    public static VerdictRule probeRule(PingOutcome ping, StorageOutcome storage) {
        return Classifier.rule(new Classifier.Combined(ping, storage, List.of()));
    }
}
