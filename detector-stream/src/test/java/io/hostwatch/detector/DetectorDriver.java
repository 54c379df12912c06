package io.hostwatch.detector;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.schema.Tick;
import io.hostwatch.serde.InMemorySchemaRegistryClient;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A detector topology in a TopologyTestDriver, with helpers that speak in hosts, heartbeats and probe results. */
final class DetectorDriver implements AutoCloseable {
    static final long T0 = 1_700_000_000_000L;
    static final long TICK_MS = 500;

    final Topics topics;
    final DetectorConfig config;
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Heartbeat> heartbeats;
    private final TestInputTopic<String, byte[]> rawHeartbeats;
    private final TestInputTopic<String, Tick> ticks;
    private final TestInputTopic<String, ProbeResult> results;
    private final TestOutputTopic<String, ProbeRequest> probeRequests;
    private final TestOutputTopic<String, HostState> hostStates;
    private final TestOutputTopic<String, HostState> history;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final Map<String, Long> sequences = new HashMap<>();
    private long now = T0;

    DetectorDriver(Path stateDir) {
        this(stateDir, Map.of());
    }

    DetectorDriver(Path stateDir, Map<String, String> overrides) {
        this(stateDir, overrides, DetectorListener.NONE);
    }

    DetectorDriver(Path stateDir, Map<String, String> overrides, DetectorListener listener) {
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", "unused:9092");
        props.put("schema.registry.url", "http://unused");
        props.put(DetectorConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(DetectorConfig.APPLICATION_ID_CONFIG, "detector-test");
        props.putAll(overrides);
        config = new DetectorConfig(props);
        topics = Topics.create(TopicLayout.defaults(), registry);
        java.util.Properties streamsProps = DetectorTopology.streamsProperties(config);
        streamsProps.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DetectorTopology.build(config, topics, listener), streamsProps);
        deadLetters = driver.createOutputTopic(
                config.cluster().topics().deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        heartbeats = driver.createInputTopic(
                topics.heartbeats().name(),
                topics.heartbeats().keySerde().serializer(),
                topics.heartbeats().valueSerde().serializer());
        rawHeartbeats = driver.createInputTopic(
                topics.heartbeats().name(), topics.heartbeats().keySerde().serializer(), new ByteArraySerializer());
        ticks = driver.createInputTopic(
                topics.ticks().name(),
                topics.ticks().keySerde().serializer(),
                topics.ticks().valueSerde().serializer());
        results = driver.createInputTopic(
                topics.probeResults().name(),
                topics.probeResults().keySerde().serializer(),
                topics.probeResults().valueSerde().serializer());
        probeRequests = driver.createOutputTopic(
                topics.probeRequests().name(),
                topics.probeRequests().keySerde().deserializer(),
                topics.probeRequests().valueSerde().deserializer());
        hostStates = driver.createOutputTopic(
                topics.hostStates().name(),
                topics.hostStates().keySerde().deserializer(),
                topics.hostStates().valueSerde().deserializer());
        history = driver.createOutputTopic(
                topics.hostStateHistory().name(),
                topics.hostStateHistory().keySerde().deserializer(),
                topics.hostStateHistory().valueSerde().deserializer());
    }

    static Heartbeat.Builder heartbeatOf(String host) {
        return Heartbeat.newBuilder()
                .setHost(host)
                .setAgentInstance("agent-" + host)
                .setSequence(0)
                .setSentAt(Instant.ofEpochMilli(T0))
                .setIntervalMs(1000)
                .setAddress("10.0.0." + Math.abs(host.hashCode() % 250))
                .setFailureDomain(null)
                .setServiceStatus(ServiceStatus.OK)
                .setStorageSequence(0)
                .setStorageWriteOk(true)
                .setAgentVersion("test");
    }

    /** An OK heartbeat from {@code host} at the current time. */
    void heartbeat(String host) {
        heartbeat(heartbeatOf(host));
    }

    void heartbeat(Heartbeat.Builder builder) {
        long seq = sequences.merge(builder.getHost(), 1L, Long::sum);
        if (builder.getStorageSequence() == 0) {
            builder.setStorageSequence(seq);
        }
        builder.setSequence(seq).setSentAt(Instant.ofEpochMilli(now));
        heartbeats.pipeInput(builder.getHost(), builder.build(), now);
    }

    /** A heartbeat value as bytes, e.g. written with another version of the schema. */
    void rawHeartbeat(String host, byte[] value) {
        rawHeartbeats.pipeInput(host, value, now);
    }

    /** {@code heartbeat} exactly as given (no sequence or time filled in), under record key {@code key}. */
    void heartbeatAsIs(String key, Heartbeat heartbeat) {
        heartbeats.pipeInput(key, heartbeat, now);
    }

    /** Raw value bytes under record key {@code key} (null for none). */
    void rawHeartbeatWithKey(String key, byte[] value) {
        rawHeartbeats.pipeInput(key, value, now);
    }

    /** The dead letters written since the last read. */
    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    /** Number of hosts in the store. */
    long hostCount() {
        long n = 0;
        try (var all = driver.<String, HostRecord>getKeyValueStore(DetectorTopology.HOSTS_STORE)
                .all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    /** A heartbeat with no key, as a misconfigured producer would send it. */
    void unkeyedHeartbeat(String host) {
        heartbeats.pipeInput(
                null, heartbeatOf(host).setSentAt(Instant.ofEpochMilli(now)).build(), now);
    }

    /** Sends ticks every {@link #TICK_MS} until {@code t}, as the ticker would; the time is then {@code t}. */
    void advanceTo(long t) {
        while (now + TICK_MS <= t) {
            now += TICK_MS;
            tick();
        }
        if (now < t) {
            now = t;
            tick();
        }
    }

    void advanceBy(long ms) {
        advanceTo(now + ms);
    }

    /** Jumps to {@code t} with nothing in between, as after a broker or ticker outage. */
    void jumpTo(long t) {
        now = t;
        tick();
    }

    private void tick() {
        ticks.pipeInput(null, new Tick(0, "test-ticker", Instant.ofEpochMilli(now)), now);
    }

    void result(ProbeRequest request, String prober, PingStatus ping, StorageStatus storage) {
        result(request, prober, ping, storage, false);
    }

    void result(ProbeRequest request, String prober, PingStatus ping, StorageStatus storage, boolean selfIsolated) {
        results.pipeInput(request.getHost(), resultFor(request, prober, ping, storage, selfIsolated), now);
    }

    void result(String host, ProbeResult result) {
        results.pipeInput(host, result, now);
    }

    static ProbeResult resultFor(
            ProbeRequest request, String prober, PingStatus ping, StorageStatus storage, boolean selfIsolated) {
        return new ProbeResult(
                request.getRequestId(),
                request.getHost(),
                prober,
                new PingOutcome(
                        ping,
                        PingMethod.ICMP,
                        ping == PingStatus.OK ? 250L : null,
                        ping == PingStatus.ERROR ? "self-check failed" : null),
                new StorageOutcome(
                        storage,
                        storage == StorageStatus.FRESH || storage == StorageStatus.STALE ? 7L : null,
                        selfIsolated,
                        null),
                Instant.ofEpochMilli(T0));
    }

    long now() {
        return now;
    }

    List<ProbeRequest> probeRequests() {
        return probeRequests.readValuesToList();
    }

    /** The one probe request sent since the last read; fails if there is not exactly one. */
    ProbeRequest singleProbeRequest() {
        List<ProbeRequest> requests = probeRequests();
        if (requests.size() != 1) {
            throw new AssertionError("expected one probe request, got " + requests);
        }
        return requests.get(0);
    }

    List<HostState> hostStates() {
        return hostStates.readValuesToList();
    }

    List<HostState> history() {
        return history.readValuesToList();
    }

    /** Every host-state published since the last read, for one host. */
    List<HostState> hostStatesOf(String host) {
        List<HostState> of = new ArrayList<>();
        for (HostState state : hostStates()) {
            if (state.getHost().equals(host)) {
                of.add(state);
            }
        }
        return of;
    }

    HostRecord record(String host) {
        return driver.<String, HostRecord>getKeyValueStore(DetectorTopology.HOSTS_STORE)
                .get(host);
    }

    DomainStatus domain(String domain) {
        return driver.<String, DomainStatus>getKeyValueStore(DetectorTopology.DOMAIN_GUARD_STORE)
                .get(domain);
    }

    @Override
    public void close() {
        driver.close();
    }
}
