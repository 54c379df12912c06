package io.hostwatch.detector;

import io.hostwatch.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector's topology (Processor API).
 *
 * <p>Sub-topology 1, one task per partition of the co-partitioned, host-keyed inputs {@code hostwatch.heartbeats},
 * {@code hostwatch.ticks} and {@code hostwatch.probe-results}: processor {@value #HOST_DETECTOR} keeps one
 * {@link HostRecord} per host in the persistent, changelogged store {@value #HOSTS_STORE} (key: host id) and writes
 * {@code ProbeRequest}s to {@code hostwatch.probe-requests}, every {@code HostState} transition to both
 * {@code hostwatch.host-states} (compacted: latest per host) and {@code hostwatch.host-state-history}, and
 * guard deltas keyed by failure domain to {@code <application.id>-domain-deltas}. Each host's last 50 transitions
 * are kept in store {@value #TIMELINES_STORE} (key: host id) for the console.
 *
 * <p>Sub-topology 2, keyed by failure domain: {@value #DOMAIN_GUARD_AGGREGATOR} sums the deltas in store
 * {@value #DOMAIN_COUNTS_STORE} and writes each domain's totals and guard decision to
 * {@code <application.id>-domain-guard}, which every instance reads into the global store
 * {@value #DOMAIN_GUARD_STORE}.
 */
public final class DetectorTopology {
    public static final String HEARTBEATS_SOURCE = "heartbeats-source";
    public static final String TICKS_SOURCE = "ticks-source";
    public static final String PROBE_RESULTS_SOURCE = "probe-results-source";
    public static final String HOST_DETECTOR = "host-detector";
    public static final String PROBE_REQUESTS_SINK = "probe-requests-sink";
    public static final String HOST_STATES_SINK = "host-states-sink";
    public static final String HOST_STATE_HISTORY_SINK = "host-state-history-sink";
    public static final String DOMAIN_DELTAS_SINK = "domain-deltas-sink";
    public static final String DOMAIN_DELTAS_SOURCE = "domain-deltas-source";
    public static final String DOMAIN_GUARD_AGGREGATOR = "domain-guard-aggregator";
    public static final String DOMAIN_GUARD_SINK = "domain-guard-sink";
    public static final String DOMAIN_GUARD_SOURCE = "domain-guard-source";
    public static final String DOMAIN_GUARD_UPDATER = "domain-guard-updater";

    public static final String HOSTS_STORE = "detector-hosts";
    public static final String TIMELINES_STORE = "detector-timelines";
    public static final String DOMAIN_COUNTS_STORE = "detector-domain-counts";
    public static final String DOMAIN_GUARD_STORE = "detector-domain-guard";

    private DetectorTopology() {}

    public static Topology build(DetectorConfig config, Topics topics) {
        return build(config, topics, DetectorListener.NONE);
    }

    public static Topology build(DetectorConfig config, Topics topics, DetectorListener listener) {
        DetectionSettings settings = config.detection();
        DetectorInternalTopics internal = new DetectorInternalTopics(
                config.applicationId(), topics.layout().partitions());
        DomainDelta.DeltaSerde deltaSerde = new DomainDelta.DeltaSerde();
        DomainStatus.StatusSerde statusSerde = new DomainStatus.StatusSerde();

        Topology topology = new Topology(new TopologyConfig(new StreamsConfig(streamsProperties(config))));
        topology.addSource(
                        HEARTBEATS_SOURCE,
                        topics.heartbeats().keySerde().deserializer(),
                        topics.heartbeats().valueSerde().deserializer(),
                        topics.heartbeats().name())
                .addSource(
                        TICKS_SOURCE,
                        topics.ticks().keySerde().deserializer(),
                        topics.ticks().valueSerde().deserializer(),
                        topics.ticks().name())
                .addSource(
                        PROBE_RESULTS_SOURCE,
                        topics.probeResults().keySerde().deserializer(),
                        topics.probeResults().valueSerde().deserializer(),
                        topics.probeResults().name())
                .addProcessor(
                        HOST_DETECTOR,
                        () -> DetectorProcessors.hostDetector(config, listener),
                        HEARTBEATS_SOURCE,
                        TICKS_SOURCE,
                        PROBE_RESULTS_SOURCE)
                .addStateStore(
                        Stores.keyValueStoreBuilder(
                                        Stores.persistentKeyValueStore(HOSTS_STORE),
                                        Serdes.String(),
                                        new HostRecordSerde())
                                .withLoggingEnabled(Map.of()),
                        HOST_DETECTOR)
                .addStateStore(
                        Stores.keyValueStoreBuilder(
                                        Stores.persistentKeyValueStore(TIMELINES_STORE),
                                        Serdes.String(),
                                        new HostTimelineSerde())
                                .withLoggingEnabled(Map.of()),
                        HOST_DETECTOR)
                .addSink(
                        PROBE_REQUESTS_SINK,
                        topics.probeRequests().name(),
                        topics.probeRequests().keySerde().serializer(),
                        topics.probeRequests().valueSerde().serializer(),
                        HOST_DETECTOR)
                .addSink(
                        HOST_STATES_SINK,
                        topics.hostStates().name(),
                        topics.hostStates().keySerde().serializer(),
                        topics.hostStates().valueSerde().serializer(),
                        HOST_DETECTOR)
                .addSink(
                        HOST_STATE_HISTORY_SINK,
                        topics.hostStateHistory().name(),
                        topics.hostStateHistory().keySerde().serializer(),
                        topics.hostStateHistory().valueSerde().serializer(),
                        HOST_DETECTOR)
                .addSink(
                        DOMAIN_DELTAS_SINK,
                        internal.domainDeltas(),
                        Serdes.String().serializer(),
                        deltaSerde.serializer(),
                        HOST_DETECTOR)
                .addSource(
                        DOMAIN_DELTAS_SOURCE,
                        Serdes.String().deserializer(),
                        deltaSerde.deserializer(),
                        internal.domainDeltas())
                .addProcessor(
                        DOMAIN_GUARD_AGGREGATOR,
                        () -> new DomainGuardAggregator(
                                settings.massFailureFraction(), settings.massFailureMinSilent()),
                        DOMAIN_DELTAS_SOURCE)
                .addStateStore(
                        Stores.keyValueStoreBuilder(
                                        Stores.persistentKeyValueStore(DOMAIN_COUNTS_STORE),
                                        Serdes.String(),
                                        statusSerde)
                                .withLoggingEnabled(Map.of()),
                        DOMAIN_GUARD_AGGREGATOR)
                .addSink(
                        DOMAIN_GUARD_SINK,
                        internal.domainGuard(),
                        Serdes.String().serializer(),
                        statusSerde.serializer(),
                        DOMAIN_GUARD_AGGREGATOR)
                .addGlobalStore(
                        Stores.keyValueStoreBuilder(
                                        Stores.inMemoryKeyValueStore(DOMAIN_GUARD_STORE), Serdes.String(), statusSerde)
                                .withLoggingDisabled(),
                        DOMAIN_GUARD_SOURCE,
                        Serdes.String().deserializer(),
                        statusSerde.deserializer(),
                        internal.domainGuard(),
                        DOMAIN_GUARD_UPDATER,
                        DomainGuardStoreUpdater::new);
        return topology;
    }

    /**
     * The Kafka Streams settings of a detector: exactly-once, explicit naming, and the operator's {@code kafka.*}
     * overrides last. Pure: used both to build the topology and to start it.
     */
    public static Properties streamsProperties(DetectorConfig config) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        defaults.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
        defaults.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        defaults.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        defaults.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        defaults.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // rejected heartbeats become dead letters; one record that trips a bug must not stop detection for every
        // host: it is logged and skipped
        defaults.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DetectorProcessingExceptionHandler.class.getName());
        // wait for data already on the broker before processing, so a catching-up task sees records in time order
        defaults.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        defaults.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.httpAdvertisedHost() + ":" + config.httpPort());
        defaults.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        defaults.put(
                DeadLetterDeserializationHandler.DEAD_LETTER_TOPIC_CONFIG,
                config.cluster().topics().deadLetters());
        defaults.put(DeadLetterDeserializationHandler.COMPONENT_ID_CONFIG, "detector-" + config.instanceId());
        Properties props = new Properties();
        props.putAll(config.cluster().clientProperties(defaults));
        return props;
    }

    static String version() {
        String version = DetectorTopology.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
