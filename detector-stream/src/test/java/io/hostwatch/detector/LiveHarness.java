package io.hostwatch.detector;

import io.hostwatch.auth.Authenticators;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One integration test's world on the real broker and registry: its own topic prefix, a heartbeat pump standing in
 * for member-agents, a probe answerer standing in for probers, and readers of the detector's outputs.
 */
final class LiveHarness implements AutoCloseable {
    final TestCluster cluster;
    final String prefix;
    final int partitions;
    final Topics topics;
    final Map<String, String> baseConfig = new HashMap<>();
    private final KafkaProducer<String, Heartbeat> heartbeats;
    private final KafkaProducer<String, ProbeResult> results;
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> alive = ConcurrentHashMap.newKeySet();
    private final Map<String, String> domains = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final List<DetectorRuntime> runtimes = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Path> stateDirs = Collections.synchronizedList(new ArrayList<>());
    /** The master key of the harness's detector (file in {@link #masterKeyFile}); heartbeats are signed with it. */
    final MasterKey masterKey = KeyFiles.generateMaster("k1");

    final Path masterKeyFile;
    private volatile MasterKey signingKey = masterKey;

    LiveHarness(TestCluster cluster, int partitions) throws InterruptedException {
        this.cluster = cluster;
        this.prefix = cluster.newTopicPrefix();
        this.partitions = partitions;
        baseConfig.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        baseConfig.put("schema.registry.url", cluster.registryUrl());
        baseConfig.put("topic.prefix", prefix);
        baseConfig.put("topic.partitions", Integer.toString(partitions));
        baseConfig.put("topic.replication.factor", "1");
        baseConfig.put("application.id", prefix + "detector");
        baseConfig.put("ops.port", "0");
        baseConfig.put("ops.bind.address", "127.0.0.1");
        baseConfig.put("ops.advertised.host", "127.0.0.1");
        baseConfig.put("heartbeat.timeout.ms", "2000");
        baseConfig.put("probe.timeout.ms", "3000");
        baseConfig.put("probe.collect.ms", "500");
        baseConfig.put("kafka.commit.interval.ms", "100");
        baseConfig.put("kafka.session.timeout.ms", "6000");
        baseConfig.put("kafka.heartbeat.interval.ms", "1000");
        baseConfig.put("kafka.statestore.cache.max.bytes", "0");
        // every live test runs as production should: heartbeats authenticated, required
        try {
            Path keys = Files.createDirectories(Path.of("target", "it-keys").toAbsolutePath());
            masterKeyFile = keys.resolve(prefix.replace('.', '-') + "k1.key");
            Files.deleteIfExists(masterKeyFile);
            KeyFiles.write(masterKeyFile, masterKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        baseConfig.put("auth.master.key.files", masterKeyFile.toString());
        baseConfig.put("heartbeat.authentication", "required");
        topics =
                Topics.create(new TopicLayout(prefix, partitions), SchemaRegistryClients.forUrl(cluster.registryUrl()));
        DetectorRuntime.bootstrapTopics(config(Map.of()));
        heartbeats = new KafkaProducer<>(
                producerProps(),
                new StringSerializer(),
                topics.heartbeats().valueSerde().serializer());
        results = new KafkaProducer<>(
                producerProps(),
                new StringSerializer(),
                topics.probeResults().valueSerde().serializer());
        pump.scheduleAtFixedRate(this::beat, 0, 500, TimeUnit.MILLISECONDS);
    }

    DetectorConfig config(Map<String, String> overrides) {
        return new DetectorConfig(configValues(overrides));
    }

    /** A fresh instance's raw config: own state dir and instance id, then {@code overrides}. */
    Map<String, String> configValues(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(baseConfig);
        Path stateDir =
                Path.of("target", "it-state", UUID.randomUUID().toString()).toAbsolutePath();
        stateDirs.add(stateDir);
        values.put("state.dir", stateDir.toString());
        values.put("instance.id", "it-" + UUID.randomUUID().toString().substring(0, 6));
        values.putAll(overrides);
        return values;
    }

    DetectorRuntime startDetector(DetectorConfig config) throws InterruptedException {
        DetectorRuntime runtime = DetectorRuntime.start(config);
        runtimes.add(runtime);
        return runtime;
    }

    void stopDetector(DetectorRuntime runtime) {
        runtimes.remove(runtime);
        runtime.close();
    }

    private Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return props;
    }

    /** Starts heartbeats (every 500 ms) for {@code host} in failure domain {@code domain} (null: default). */
    void startHeartbeats(String host, String domain) {
        if (domain != null) {
            domains.put(host, domain);
        }
        alive.add(host);
    }

    void stopHeartbeats(String host) {
        alive.remove(host);
    }

    private void beat() {
        for (String host : alive) {
            heartbeats.send(new ProducerRecord<>(topics.heartbeats().name(), host, heartbeatOf(host)));
        }
    }

    /** From now on the heartbeats are signed with host keys derived from {@code key} (a rotation). */
    void signWith(MasterKey key) {
        signingKey = key;
    }

    Heartbeat heartbeatOf(String host) {
        return Authenticators.authenticate(signingKey.derive(host), unsignedHeartbeatOf(host));
    }

    Heartbeat unsignedHeartbeatOf(String host) {
        long seq = sequence.incrementAndGet();
        return Heartbeat.newBuilder()
                .setHost(host)
                .setAgentInstance("agent-" + host)
                .setSequence(seq)
                .setSentAt(Instant.now())
                .setIntervalMs(500)
                .setAddress("198.18.0.1")
                .setFailureDomain(domains.get(host))
                .setServiceStatus(ServiceStatus.OK)
                .setStorageSequence(seq)
                .setStorageWriteOk(true)
                .setAgentVersion("it")
                .build();
    }

    /** Sends {@code heartbeat} once under record key {@code key}. */
    void send(String key, Heartbeat heartbeat) {
        heartbeats.send(new ProducerRecord<>(topics.heartbeats().name(), key, heartbeat));
        heartbeats.flush();
    }

    void answer(ProbeRequest request, String prober, PingStatus ping, StorageStatus storage) {
        results.send(new ProducerRecord<>(
                topics.probeResults().name(),
                request.getHost(),
                DetectorDriver.resultFor(request, prober, ping, storage, false)));
        results.flush();
    }

    /** The partition the default partitioner puts {@code key} on. */
    int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    /** A host name that lands on {@code partition}. */
    String hostOnPartition(String base, int partition) {
        for (int i = 0; ; i++) {
            String host = base + "-" + i;
            if (partitionOf(host) == partition) {
                return host;
            }
        }
    }

    <V> Reader<V> reader(String topic, Deserializer<V> values) {
        Reader<V> reader = new Reader<>(topic, values);
        closeables.add(reader);
        return reader;
    }

    Reader<HostState> history() {
        return reader(
                topics.hostStateHistory().name(),
                topics.hostStateHistory().valueSerde().deserializer());
    }

    Reader<ProbeRequest> probeRequests() {
        return reader(
                topics.probeRequests().name(),
                topics.probeRequests().valueSerde().deserializer());
    }

    Reader<byte[]> rawReader(String topic) {
        return reader(topic, new ByteArrayDeserializer());
    }

    KafkaProducer<byte[], byte[]> rawProducer() {
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
        closeables.add(producer);
        return producer;
    }

    @Override
    public void close() throws Exception {
        pump.shutdownNow();
        pump.awaitTermination(5, TimeUnit.SECONDS);
        for (DetectorRuntime runtime : new ArrayList<>(runtimes)) {
            runtime.close();
        }
        heartbeats.close(Duration.ofSeconds(5));
        results.close(Duration.ofSeconds(5));
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        stateDirs.forEach(TestFiles::deleteRecursively);
    }

    /** Reads a topic from the beginning (committed records only) and accumulates what it saw. */
    final class Reader<V> implements AutoCloseable {
        private final KafkaConsumer<String, V> consumer;
        private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

        private Reader(String topic, Deserializer<V> values) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
            List<TopicPartition> all = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> all.add(new TopicPartition(topic, p.partition())));
            consumer.assign(all);
            consumer.seekToBeginning(all);
        }

        /** Polls briefly and returns everything read so far. */
        synchronized List<ConsumerRecord<String, V>> records() {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return new ArrayList<>(seen);
        }

        List<V> values() {
            return records().stream().map(ConsumerRecord::value).toList();
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
