package io.hostwatch.detector;

import io.hostwatch.local.KafkaBroker;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.serde.InMemorySchemaRegistryClient;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Benchmark command (not a test): a generator publishes heartbeats for N hosts at 1/s to a local broker started
 * from the Maven Central jars; one detector instance (in this JVM, exactly-once) consumes them. For each N it prints
 * whether consumer lag stayed bounded, state bytes per host, last-heartbeat-to-ProbeRequest p50/p99 for a sample of
 * hosts silenced mid-run, and the timer work of the deadline index against a naive full scan per tick.
 *
 * <pre>
 * mvn -B -q -pl detector-stream test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp
 * java -Xmx2g -cp detector-stream/target/test-classes:detector-stream/target/classes:$(cat detector-stream/target/bench.cp) \
 *      io.hostwatch.detector.DetectorBench [--hosts 25000,50000,100000] [--seconds 60]
 * </pre>
 */
public final class DetectorBench {
    private static final PrintStream OUT = System.out;
    private static final int PARTITIONS = 12;
    private static final int SILENCED = 200;

    private DetectorBench() {}

    record Step(
            int hosts,
            long warmupSeconds,
            double sentPerSecond,
            long finalLag,
            long maxLagLastThird,
            boolean bounded,
            double stateBytesPerHost,
            double diskBytesPerHost,
            long p50Ms,
            long p99Ms,
            int probed,
            double timerMsPerSecond,
            double naiveScanMs,
            double naiveMsPerSecond) {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(25_000, 50_000, 100_000);
        int seconds = 60;
        int warmup = 180;
        for (int i = 0; i < args.length - 1; i += 2) {
            if (args[i].equals("--hosts")) {
                sizes = Stream.of(args[i + 1].split(",")).map(Integer::parseInt).toList();
            } else if (args[i].equals("--seconds")) {
                seconds = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--warmup")) {
                warmup = Integer.parseInt(args[i + 1]);
            }
        }
        Path work = Path.of("target", "bench").toAbsolutePath();
        TestFiles.deleteRecursively(work);
        KafkaBroker broker = KafkaBroker.start(new KafkaBroker.Settings(work.resolve("kafka"), 0, 0, "1g", Map.of()));
        List<Step> steps = new ArrayList<>();
        try {
            for (int n : sizes) {
                Step step = run(broker.bootstrapServers(), work, n, seconds, warmup);
                steps.add(step);
                print(step);
                if (!step.bounded()) {
                    break;
                }
            }
        } finally {
            broker.close();
            TestFiles.deleteRecursively(work);
        }
        OUT.println();
        OUT.println(
                "| hosts | warm-up s | sent/s | lag end | lag max (last third) | bounded | state B/host (serialized) "
                        + "| RocksDB B/host | HB->ProbeRequest p50 / p99 ms | timer ms/s | naive scan ms | naive ms/s "
                        + "| naive/ours |");
        OUT.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Step s : steps) {
            OUT.printf(
                    Locale.ROOT,
                    "| %d | %s | %.0f | %d | %d | %s | %.0f | %.0f | %d / %d (n=%d) | %.2f | %.1f | %.0f | %.0fx |%n",
                    s.hosts(),
                    s.warmupSeconds() < 0 ? "did not catch up" : Long.toString(s.warmupSeconds()),
                    s.sentPerSecond(),
                    s.finalLag(),
                    s.maxLagLastThird(),
                    s.bounded() ? "yes" : "NO",
                    s.stateBytesPerHost(),
                    s.diskBytesPerHost(),
                    s.p50Ms(),
                    s.p99Ms(),
                    s.probed(),
                    s.timerMsPerSecond(),
                    s.naiveScanMs(),
                    s.naiveMsPerSecond(),
                    s.naiveMsPerSecond() / Math.max(s.timerMsPerSecond(), 1e-3));
        }
    }

    private static void print(Step s) {
        OUT.println("step " + s);
    }

    private static Step run(String bootstrap, Path work, int hosts, int seconds, int warmup) throws Exception {
        String prefix = "bench" + hosts + ".";
        Topics topics = Topics.create(new TopicLayout(prefix, PARTITIONS), new InMemorySchemaRegistryClient());
        Path stateDir = work.resolve("state-" + hosts);
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", bootstrap);
        values.put("schema.registry.url", "http://unused-in-bench");
        values.put("topic.prefix", prefix);
        values.put("topic.partitions", Integer.toString(PARTITIONS));
        values.put("application.id", prefix + "detector");
        values.put("state.dir", stateDir.toString());
        values.put("ops.port", "0");
        values.put("ops.bind.address", "127.0.0.1");
        values.put("ops.advertised.host", "127.0.0.1");
        DetectorConfig config = new DetectorConfig(values);
        DetectorRuntime detector = DetectorRuntime.start(config, topics);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (detector.streams().state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Set<String> silenced = ConcurrentHashMap.newKeySet();
        AtomicLong sent = new AtomicLong();
        Thread generator = new Thread(() -> generate(bootstrap, topics, hosts, running, silenced, sent), "generator");
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> watchProbes(bootstrap, topics, running, silenced, latencies), "watcher");
        List<Long> lags = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            generator.start();
            watcher.start();
            // warm-up: every host's first heartbeat is the expensive one (first HostState, guard delta), and RocksDB
            // and the JIT warm up; measure only once the detector has caught up (lag under one second of data)
            long warmupStart = System.nanoTime();
            int below = 0;
            while (below < 2 && System.nanoTime() - warmupStart < TimeUnit.SECONDS.toNanos(warmup)) {
                TimeUnit.SECONDS.sleep(2);
                // not before every host has heartbeated a few times, or an empty topic would count as caught up
                boolean warm = sent.get() >= 5L * hosts;
                long lag =
                        lag(admin, config.applicationId(), topics.heartbeats().name());
                below = warm && lag < hosts ? below + 1 : 0;
            }
            long warmupSeconds = (System.nanoTime() - warmupStart) / 1_000_000_000L;
            sent.set(0);
            long start = System.nanoTime();
            double timerAtHalf = 0;
            long halfAt = 0;
            for (int t = 0; t < seconds; t += 2) {
                TimeUnit.SECONDS.sleep(2);
                lags.add(lag(admin, config.applicationId(), topics.heartbeats().name()));
                if (t + 2 >= seconds / 2 && halfAt == 0) {
                    halfAt = System.nanoTime();
                    timerAtHalf = detector.metrics().timerSeconds();
                    for (int i = 0; i < SILENCED; i++) {
                        silenced.add(hostName(i * (hosts / SILENCED)));
                    }
                }
            }
            double elapsedHalf = (System.nanoTime() - halfAt) / 1e9;
            double timerMsPerSecond = (detector.metrics().timerSeconds() - timerAtHalf) * 1000 / elapsedHalf;
            double sentPerSecond = sent.get() / ((System.nanoTime() - start) / 1e9);
            running.set(false);
            generator.join();
            watcher.join();

            ReadOnlyKeyValueStore<String, HostRecord> store = detector.streams()
                    .store(StoreQueryParameters.fromNameAndType(
                            DetectorTopology.HOSTS_STORE, QueryableStoreTypes.keyValueStore()));
            // the naive baseline does what a per-tick scan must: read and decode every record, test its deadline
            long due = 0;
            long scanStart = System.nanoTime();
            try (KeyValueIterator<String, HostRecord> all = store.all()) {
                long now = System.currentTimeMillis();
                while (all.hasNext()) {
                    HostRecord r = all.next().value;
                    if (r.timerAt != HostRecord.UNSET && r.timerAt <= now) {
                        due++;
                    }
                }
            }
            double naiveScanMs = (System.nanoTime() - scanStart) / 1e6;
            HostRecordSerde serde = new HostRecordSerde();
            long bytes = 0;
            long count = 0;
            try (KeyValueIterator<String, HostRecord> all = store.all()) {
                while (all.hasNext()) {
                    var entry = all.next();
                    bytes += entry.key.length() + serde.serialize("", entry.value).length;
                    count++;
                }
            }
            OUT.println("naive scan: " + count + " records, " + due + " due");
            double naiveMsPerSecond =
                    naiveScanMs * 1000.0 / config.tickInterval().toMillis();
            long disk = directorySize(stateDir);
            int third = Math.max(1, lags.size() / 3);
            long maxLastThird = lags.subList(lags.size() - third, lags.size()).stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElse(0);
            long finalLag = lags.get(lags.size() - 1);
            boolean bounded = maxLastThird <= 2L * hosts;
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
            long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
            OUT.println("lags (every 2 s): " + lags);
            return new Step(
                    hosts,
                    below >= 2 ? warmupSeconds : -1,
                    sentPerSecond,
                    finalLag,
                    maxLastThird,
                    bounded,
                    count == 0 ? 0 : (double) bytes / count,
                    count == 0 ? 0 : (double) disk / count,
                    p50,
                    p99,
                    sorted.size(),
                    timerMsPerSecond,
                    naiveScanMs,
                    naiveMsPerSecond);
        } finally {
            running.set(false);
            detector.close();
            TestFiles.deleteRecursively(stateDir);
        }
    }

    private static String hostName(int i) {
        return String.format(Locale.ROOT, "host-%06d", i);
    }

    private static void generate(
            String bootstrap, Topics topics, int hosts, AtomicBoolean running, Set<String> silenced, AtomicLong sent) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        List<Heartbeat> beats = new ArrayList<>(hosts);
        for (int i = 0; i < hosts; i++) {
            String host = hostName(i);
            beats.add(Heartbeat.newBuilder()
                    .setHost(host)
                    .setAgentInstance("a-" + i)
                    .setSequence(0)
                    .setSentAt(Instant.now())
                    .setIntervalMs(1000)
                    .setAddress("198.18." + (i / 250 % 250) + "." + (i % 250))
                    .setFailureDomain("az" + (i % 3))
                    .setServiceStatus(ServiceStatus.OK)
                    .setStorageSequence(0)
                    .setStorageWriteOk(true)
                    .setAgentVersion("bench")
                    .build());
        }
        String topic = topics.heartbeats().name();
        int slots = 100;
        try (KafkaProducer<String, Heartbeat> producer = new KafkaProducer<>(
                props, new StringSerializer(), topics.heartbeats().valueSerde().serializer())) {
            long next = System.nanoTime();
            int cursor = 0;
            while (running.get()) {
                int perSlot = (hosts + slots - 1) / slots;
                for (int k = 0; k < perSlot && cursor < hosts; k++, cursor++) {
                    Heartbeat hb = beats.get(cursor);
                    if (silenced.contains(hb.getHost())) {
                        continue;
                    }
                    hb.setSequence(hb.getSequence() + 1);
                    hb.setStorageSequence(hb.getSequence());
                    hb.setSentAt(Instant.now());
                    producer.send(new ProducerRecord<>(topic, hb.getHost(), hb));
                    sent.incrementAndGet();
                }
                if (cursor >= hosts) {
                    cursor = 0;
                }
                next += TimeUnit.MILLISECONDS.toNanos(1000 / slots);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void watchProbes(
            String bootstrap, Topics topics, AtomicBoolean running, Set<String> silenced, List<Long> latencies) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (KafkaConsumer<String, ProbeRequest> consumer = new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                topics.probeRequests().valueSerde().deserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(new TopicPartition(topics.probeRequests().name(), p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            while (running.get()) {
                for (ConsumerRecord<String, ProbeRequest> record : consumer.poll(Duration.ofMillis(100))) {
                    ProbeRequest request = record.value();
                    if (silenced.contains(request.getHost())
                            && request.getAttempt() == 1
                            && seen.add(request.getHost())) {
                        latencies.add(System.currentTimeMillis()
                                - request.getLastHeartbeatAt().toEpochMilli());
                    }
                }
            }
        }
    }

    private static long lag(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long lag = 0;
        for (var entry :
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata done = committed.get(entry.getKey());
            lag += entry.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    private static long directorySize(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
