package io.hostwatch.detector.replay;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.local.KafkaBroker;
import io.hostwatch.runtime.files.Directories;
import io.hostwatch.schema.HostState;
import io.hostwatch.serde.InMemorySchemaRegistryClient;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Replay speed and memory: generated fleet windows ({@link SyntheticFleet}, a heartbeat per host per second) written to
 * a local broker, then replayed from it by {@code ReplayWindow} + the engine, as the CLI does; and, side by side in
 * the same run, the old TopologyTestDriver replay against the engine on one small in-memory window. Peak heap is the
 * highest used heap sampled every 10 ms during the replay (garbage included), after a GC before it starts.
 */
public final class ReplayBenchmark {
    private static final PrintStream OUT = System.out;
    private static final int PARTITIONS = 12;

    private ReplayBenchmark() {}

    /** One measured replay. */
    record Result(
            String what,
            long records,
            double seconds,
            double cpuSeconds,
            long peakHeapBytes,
            long transitions,
            String load) {
        double perSecond() {
            return records / seconds;
        }

        /** Per second of this JVM's CPU (all its threads, GC included): what a quiet 2-core machine would allow. */
        double perCpuSecond() {
            return records / cpuSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = List.of(1_000_000L, 10_000_000L);
        int hosts = 5_000;
        int baselineHosts = 100;
        int baselineSeconds = 60;
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--records" ->
                    sizes = Stream.of(args[i + 1].split(","))
                            .map(Long::parseLong)
                            .toList();
                case "--hosts" -> hosts = Integer.parseInt(args[i + 1]);
                case "--baseline-seconds" -> baselineSeconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Result> results = new ArrayList<>();
        baseline(results, baselineHosts, baselineSeconds);
        Path work = Path.of("target", "replay-bench").toAbsolutePath();
        Directories.deleteRecursively(work);
        KafkaBroker broker = KafkaBroker.start(new KafkaBroker.Settings(work.resolve("kafka"), 0, 0, "1g", Map.of()));
        try {
            for (long size : sizes) {
                int seconds = (int) Math.max(1, size / hosts);
                if (size <= 1_000_000) {
                    results.add(fromGenerator(hosts, seconds));
                }
                results.add(fromBroker(broker.bootstrapServers(), hosts, seconds));
            }
        } finally {
            broker.close();
            Directories.deleteRecursively(work);
        }
        OUT.println();
        OUT.println("| replay | input records | records/s (wall) | records per CPU-second | peak heap MiB "
                + "| transitions | load (uptime 1/5/15 min) |");
        OUT.println("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            OUT.printf(
                    Locale.ROOT,
                    "| %s | %,d | %,.0f | %,.0f | %.0f | %,d | %s |%n",
                    r.what(),
                    r.records(),
                    r.perSecond(),
                    r.perCpuSecond(),
                    r.peakHeapBytes() / 1048576.0,
                    r.transitions(),
                    r.load());
        }
    }

    /** The old driver and the engine on the same in-memory window, driver first. */
    private static void baseline(List<Result> results, int hosts, int seconds) throws IOException {
        Topics topics = Topics.create(new TopicLayout("bench.", PARTITIONS), new InMemorySchemaRegistryClient());
        DetectorConfig config = config("unused:9092", "bench.");
        List<ConsumerRecord<byte[], byte[]>> window = new ArrayList<>();
        new SyntheticFleet(topics, hosts, seconds, 3000).forEachRemaining(window::add);
        Path state = Path.of("target", "replay-bench-ttd").toAbsolutePath();
        for (int round = 0; round < 2; round++) {
            String suffix = round == 0 ? " (warm-up)" : "";
            results.add(measure("TopologyTestDriver, in memory" + suffix, () -> {
                List<HostState> out = TopologyTestDriverReplay.replay(config, topics, window, state);
                return new long[] {window.size(), out.size()};
            }));
            results.add(measure("engine, same input in memory" + suffix, () -> {
                List<HostState> out = Replayer.replay(config, topics, window.iterator());
                return new long[] {window.size(), out.size()};
            }));
        }
        OUT.println("baseline " + results);
    }

    /** The engine fed straight from the generator: replay cost plus generating and serializing the records. */
    private static Result fromGenerator(int hosts, int seconds) {
        Topics topics = Topics.create(new TopicLayout("gen.", PARTITIONS), new InMemorySchemaRegistryClient());
        DetectorConfig config = config("unused:9092", "gen.");
        Result r = measure(
                String.format(Locale.ROOT, "engine fed by the generator (%,d hosts, %,d s window)", hosts, seconds),
                () -> {
                    long[] transitions = {0};
                    long n = Replayer.replay(
                            config, topics, new SyntheticFleet(topics, hosts, seconds, 3000), new ReplayObserver() {
                                @Override
                                public void transition(HostState state, io.hostwatch.detector.DomainStatus guard) {
                                    transitions[0]++;
                                }
                            });
                    return new long[] {n, transitions[0]};
                });
        OUT.println("step " + r);
        return r;
    }

    private static Result fromBroker(String bootstrap, int hosts, int seconds) throws Exception {
        String prefix = "bench-" + seconds + ".";
        Topics topics = Topics.create(new TopicLayout(prefix, PARTITIONS), new InMemorySchemaRegistryClient());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> create = new ArrayList<>();
            for (String name : List.of(
                    topics.heartbeats().name(),
                    topics.ticks().name(),
                    topics.probeResults().name())) {
                // CreateTime: the generated broker times are kept, as LogAppendTime would have stamped them live
                // and no retention: the generated times are in 2023 and would be deleted at once
                create.add(new NewTopic(name, PARTITIONS, (short) 1).configs(Map.of("retention.ms", "-1")));
            }
            admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
            TimeUnit.SECONDS.sleep(2);
        }
        long written = 0;
        long started = System.nanoTime();
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            SyntheticFleet fleet = new SyntheticFleet(topics, hosts, seconds, 3000);
            while (fleet.hasNext()) {
                ConsumerRecord<byte[], byte[]> r = fleet.next();
                producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value()));
                written++;
            }
            producer.flush();
        }
        OUT.printf(Locale.ROOT, "wrote %,d records in %.1f s%n", written, (System.nanoTime() - started) / 1e9);
        DetectorConfig config = config(bootstrap, prefix);
        Instant from = Instant.ofEpochMilli(SyntheticFleet.T0);
        Instant to = Instant.ofEpochMilli(SyntheticFleet.T0 + seconds * 1000L);
        Result r = measure(
                String.format(Locale.ROOT, "engine from the broker (%,d hosts, %,d s window)", hosts, seconds), () -> {
                    long[] transitions = {0};
                    try (ReplayWindow window = ReplayWindow.open(config, topics, from, to)) {
                        long n = Replayer.replay(config, topics, window, new ReplayObserver() {
                            @Override
                            public void transition(HostState state, io.hostwatch.detector.DomainStatus guard) {
                                transitions[0]++;
                            }
                        });
                        return new long[] {n, transitions[0]};
                    }
                });
        OUT.println("step " + r);
        return r;
    }

    interface Run {
        long[] run() throws Exception;
    }

    private static Result measure(String what, Run run) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(
                () -> {
                    while (running.get()) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            TimeUnit.MILLISECONDS.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        long[] counts;
        try {
            counts = run.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            running.set(false);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (processCpuNanos() - cpuStarted) / 1e9;
        return new Result(what, counts[0], seconds, cpu, peak.get(), counts[1], uptime());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static DetectorConfig config(String bootstrap, String prefix) {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", bootstrap);
        values.put("schema.registry.url", "http://unused");
        values.put("topic.prefix", prefix);
        values.put("topic.partitions", Integer.toString(PARTITIONS));
        values.put("application.id", prefix + "detector");
        return new DetectorConfig(values);
    }

    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            int at = line.indexOf("load average:");
            return at < 0
                    ? line
                    : line.substring(at + "load average:".length()).trim().replace(",", " /");
        } catch (IOException e) {
            return "n/a";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }
}
