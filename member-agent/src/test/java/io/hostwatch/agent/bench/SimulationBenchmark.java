package io.hostwatch.agent.bench;

import io.hostwatch.agent.MemberAgentApp;
import io.hostwatch.local.KafkaBroker;
import io.hostwatch.local.OrphanGuard;
import io.hostwatch.local.SchemaRegistry;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.runtime.files.Directories;
import io.hostwatch.topics.TopicLayout;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Measures {@code member-agent --simulate N} as deployed: the packaged jar in its own JVM with a 64 MiB heap against
 * a real local broker and registry. For each host count it reports heartbeats/s achieved vs. expected, the agent's
 * CPU (from /proc), RSS, encoded value bytes and broker log bytes per heartbeat, and how regular each host's
 * heartbeats were (per-host gaps between broker append times). Run with {@code member-agent/bench/simulate.sh}.
 *
 * <pre>simulate.sh [--hosts 1,1000,10000] [--seconds 60] [--warmup 15] [--heap 64m] [--jvm "-XX:+UseSerialGC"]
 *             [--storage DIR] [--fsync false]</pre>
 */
public final class SimulationBenchmark {
    private static final Path JAR =
            Path.of("target", "hostwatch-member-agent-0.1.0-SNAPSHOT.jar").toAbsolutePath();
    private static final int PARTITIONS = 12;
    private static final long CLOCK_TICKS = 100;

    private final PrintStream out;
    private final Map<String, String> options;

    private SimulationBenchmark(PrintStream out, Map<String, String> options) {
        this.out = out;
        this.options = options;
    }

    public static void main(String... args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of(
                "hosts",
                "1,1000,10000",
                "seconds",
                "60",
                "warmup",
                "15",
                "heap",
                "64m",
                "fsync",
                "false",
                "jvm",
                "-XX:+UseSerialGC",
                "storage",
                Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm/hostwatch-bench" : "target/bench-storage"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new SimulationBenchmark(System.out, options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Path.of("target", "bench-cluster").toAbsolutePath();
        Directories.deleteRecursively(work);
        Path storage = Path.of(options.get("storage")).toAbsolutePath();
        out.printf(Locale.ROOT, "starting broker and registry in %s ...%n", work);
        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Settings.defaults(work.resolve("kafka")));
                SchemaRegistry registry =
                        SchemaRegistry.start(SchemaRegistry.Settings.defaults(work.resolve("registry")));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<String> results = new ArrayList<>();
            int round = 0;
            for (String hosts : options.get("hosts").split(",")) {
                Directories.deleteRecursively(storage);
                Files.createDirectories(storage);
                String prefix = "bench" + (++round) + ".";
                TopicLayout layout = new TopicLayout(prefix, PARTITIONS);
                new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
                        .ensure(layout.specs().stream()
                                .filter(s -> s.name().equals(layout.heartbeats()))
                                .toList());
                results.add(measure(
                        Integer.parseInt(hosts.trim()),
                        broker,
                        registry,
                        admin,
                        layout.heartbeats(),
                        prefix,
                        storage,
                        work));
            }
            Directories.deleteRecursively(storage);
            out.println();
            out.println(
                    "| hosts | expected hb/s | achieved hb/s | dropped | storage writes ok/s / not ok | agent CPU (cores) "
                            + "| RSS MiB (peak) | value B/hb | broker log B/hb | per-host gap p50 / p99 / max ms | hosts seen |");
            out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            results.forEach(out::println);
        }
    }

    private String measure(
            int hosts,
            KafkaBroker broker,
            SchemaRegistry registry,
            Admin admin,
            String topic,
            String prefix,
            Path storage,
            Path work)
            throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = work.resolve(prefix + "properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                        "schema.registry.url=" + registry.url(),
                        "topic.prefix=" + prefix,
                        "topic.partitions=" + PARTITIONS,
                        "storage.root=" + storage,
                        "storage.fsync=" + options.get("fsync"),
                        "storage.write.threads=2",
                        "isolation.addresses=",
                        "ops.port=" + port,
                        ""));
        Path log = work.resolve(prefix + "agent.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + options.get("heap")));
        command.addAll(Arrays.asList(options.get("jvm").trim().split("\\s+")));
        command.addAll(List.of(
                "-cp",
                JAR + File.pathSeparator + codeSource(OrphanGuard.class),
                OrphanGuard.class.getName(),
                MemberAgentApp.class.getName(),
                "run",
                "--config",
                config.toString(),
                "--simulate",
                Integer.toString(hosts)));
        Process agent = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            out.printf(
                    Locale.ROOT,
                    "%n%d hosts: agent pid %d, warming up %s s ...%n",
                    hosts,
                    agent.pid(),
                    options.get("warmup"));
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(options.get("warmup")));
            while (System.nanoTime() < warmupEnd || !Files.readString(log).contains("event=kafka.delivering")) {
                if (!agent.isAlive()) {
                    throw new IllegalStateException("agent exited: " + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            Map<TopicPartition, Long> startOffsets = endOffsets(broker, topic);
            long offsetsStart = System.nanoTime();
            long startBytes = logBytes(admin, topic);
            Map<String, Double> startMetrics = scrape(port);
            long startCpu = cpuTicks(agent.pid());
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(Long.parseLong(options.get("seconds")));
            long elapsedNanos = System.nanoTime() - start;
            long endCpu = cpuTicks(agent.pid());
            Map<String, Double> endMetrics = scrape(port);
            Map<TopicPartition, Long> endOffsets = endOffsets(broker, topic);
            double offsetSeconds = (System.nanoTime() - offsetsStart) / 1e9;
            long endBytes = logBytes(admin, topic);
            String rss = status(agent.pid(), "VmRSS");
            String hwm = status(agent.pid(), "VmHWM");

            double seconds = elapsedNanos / 1e9;
            long records = endOffsets.entrySet().stream()
                    .mapToLong(e -> e.getValue() - startOffsets.get(e.getKey()))
                    .sum();
            double sent = delta(startMetrics, endMetrics, "hostwatch_agent_heartbeats_sent_total");
            double valueBytes = delta(startMetrics, endMetrics, "hostwatch_agent_heartbeat_value_bytes_total");
            double dropped = delta(startMetrics, endMetrics, "hostwatch_agent_heartbeats_dropped_total");
            double storageOk = delta(startMetrics, endMetrics, "hostwatch_agent_storage_writes_total{result=\"ok\"}");
            double storageNotOk = delta(startMetrics, endMetrics, "hostwatch_agent_storage_writes_total")
                    - storageOk
                    + delta(startMetrics, endMetrics, "hostwatch_agent_storage_writes_skipped_total");
            Gaps gaps = gaps(broker, topic, startOffsets, endOffsets);
            String row = String.format(
                    Locale.ROOT,
                    "| %d | %d | %.0f | %.0f | %.0f / %.0f | %.3f | %s (%s) | %.1f | %.1f | %d / %d / %d | %d |",
                    hosts,
                    hosts,
                    records / offsetSeconds,
                    dropped,
                    storageOk / seconds,
                    storageNotOk,
                    (endCpu - startCpu) / (double) CLOCK_TICKS / seconds,
                    rss,
                    hwm,
                    valueBytes / Math.max(1, sent),
                    (endBytes - startBytes) / (double) Math.max(1, records),
                    gaps.p50,
                    gaps.p99,
                    gaps.max,
                    gaps.hosts);
            out.println(row);
            return row;
        } finally {
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private record Gaps(long p50, long p99, long max, long hosts) {}

    /** Per-host gaps between consecutive broker append times in the window: shows whether every host kept its beat. */
    private static Gaps gaps(
            KafkaBroker broker, String topic, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        Map<String, Long> last = new HashMap<>();
        List<Long> gaps = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long remaining = to.entrySet().stream()
                    .mapToLong(e -> e.getValue() - from.get(e.getKey()))
                    .sum();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (remaining > 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= to.get(tp)) {
                        continue;
                    }
                    remaining--;
                    Long previous = last.put(record.key(), record.timestamp());
                    if (previous != null) {
                        gaps.add(record.timestamp() - previous);
                    }
                }
            }
        }
        long[] sorted = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Gaps(0, 0, 0, last.size());
        }
        return new Gaps(
                sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)],
                sorted[sorted.length - 1],
                last.size());
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaBroker broker, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            return consumer.endOffsets(partitions);
        }
    }

    private static long logBytes(Admin admin, String topic) throws Exception {
        long total = 0;
        Map<Integer, Map<String, LogDirDescription>> dirs =
                admin.describeLogDirs(List.of(1)).allDescriptions().get();
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription dir : byDir.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> e :
                        dir.replicaInfos().entrySet()) {
                    if (e.getKey().topic().equals(topic)) {
                        total += e.getValue().size();
                    }
                }
            }
        }
        return total;
    }

    private static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Map<String, Double> values = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, space);
            int brace = name.indexOf('{');
            double value = Double.parseDouble(line.substring(space + 1));
            values.merge(brace < 0 ? name : name.substring(0, brace), value, Double::sum);
            if (brace >= 0) {
                values.put(name, value);
            }
        }
        return values;
    }

    private static double delta(Map<String, Double> from, Map<String, Double> to, String name) {
        return to.getOrDefault(name, 0.0) - from.getOrDefault(name, 0.0);
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is the state (field 3); utime and stime are fields 14 and 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String status(long pid, String key) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith(key + ":"))
                .map(line ->
                        Arrays.stream(line.split("\\s+")).skip(1).findFirst().orElse("?"))
                .map(kb -> String.format(Locale.ROOT, "%.0f", Long.parseLong(kb) / 1024.0))
                .findFirst()
                .orElse("?");
    }

    private static String codeSource(Class<?> type) throws java.net.URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
