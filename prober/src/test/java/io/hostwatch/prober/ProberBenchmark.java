package io.hostwatch.prober;

import io.hostwatch.local.LocalCluster;
import io.hostwatch.runtime.files.Directories;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.netns.TestHost;
import io.hostwatch.testkit.netns.TestNetwork;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How many probes per second one prober sustains when every probed host is silent: test hosts in network
 * namespaces with their link down (real ICMP / TCP timeouts, nothing leaves the machine), storage heartbeat files
 * that do not advance (so every storage check waits for its second read). Requests are offered open-loop at each
 * rate for a fixed time; a rate is sustained when every result arrives, none is ERROR (a deadline missed) and
 * p99 latency stays under the deadline. The prober runs in this JVM; broker and registry are child processes.
 *
 * <p>Run with {@code prober/bench.sh [options]} (root, iproute2, iputils-ping).
 */
@Command(name = "prober-benchmark", mixinStandardHelpOptions = true)
final class ProberBenchmark implements Callable<Integer> {
    @Option(names = "--methods", split = ",", defaultValue = "tcp,icmp", description = "Ping methods to measure.")
    List<String> methods;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "250,500,667,900",
            description = "Offered request rates (per second).")
    List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "15", description = "Seconds each rate is offered.")
    int seconds;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "5",
            description = "Seconds at the first rate before measuring, per method (JIT, connections, ARP).")
    int warmupSeconds;

    @Option(names = "--hosts", defaultValue = "1000", description = "Distinct silent hosts (host ids).")
    int hosts;

    @Option(
            names = "--namespaces",
            defaultValue = "63",
            description = "Namespaces the hosts' addresses are spread over.")
    int namespaces;

    private final PrintStream out = System.out;

    public static void main(String... args) {
        int exit = new CommandLine(new ProberBenchmark()).execute(args);
        System.exit(exit);
    }

    /** What one rate step measured. */
    private record Step(
            String method,
            int rate,
            int sent,
            int received,
            double achievedPerSecond,
            long p50Millis,
            long p99Millis,
            long maxMillis,
            int correct,
            int pingErrors,
            int storageErrors,
            int peakInFlight,
            double cpuCores) {}

    @Override
    public Integer call() throws Exception {
        String unavailable = TestNetwork.unavailableReason().orElse(null);
        if (unavailable != null) {
            out.println("Cannot benchmark silent hosts here: " + unavailable);
            return 2;
        }
        Path work = Files.createTempDirectory("prober-bench");
        Path storage = Files.createDirectories(work.resolve("storage").resolve(StorageHeartbeat.DIRECTORY))
                .getParent();
        List<Step> steps = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(work.resolve("cluster"));
                TestNetwork network = TestNetwork.create(namespaces)) {
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < namespaces; i++) {
                TestHost host = network.addHost("silent-" + i);
                host.linkDown();
                addresses.add(host.address());
            }
            for (int i = 0; i < hosts; i++) {
                String host = hostId(i);
                Files.write(
                        StorageHeartbeat.file(storage, host),
                        new StorageHeartbeat(host, "agent-" + host, 5, 0L, false).toBytes());
            }
            out.printf(
                    Locale.ROOT,
                    "%d silent hosts over %d namespaces (link down) in %s; storage files static%n",
                    hosts,
                    namespaces,
                    network.subnet());
            for (String method : methods) {
                steps.addAll(measure(cluster, storage, method, addresses));
            }
        } finally {
            Directories.deleteRecursively(work);
        }
        print(steps);
        return 0;
    }

    private List<Step> measure(LocalCluster cluster, Path storage, String method, List<String> addresses)
            throws Exception {
        TopicLayout layout = new TopicLayout("bench-" + method + "-" + System.nanoTime() + ".", 12);
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        settings.put("schema.registry.url", cluster.registryUrl());
        settings.put("topic.prefix", layout.prefix());
        settings.put("topic.replication.factor", "1");
        settings.put("prober.id", "bench-" + method);
        settings.put("storage.root", storage.toString());
        settings.put("probe.ping.method", method.equals("icmp") ? "icmp" : "tcp:22");
        settings.put("ops.port", "-1");
        List<Step> steps = new ArrayList<>();
        try (ProberService prober = ProberService.start(new ProberConfig(settings));
                Load load = new Load(cluster, layout)) {
            while (!prober.ready()) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            if (warmupSeconds > 0) {
                load.run(method + "-warmup", rates.get(0), warmupSeconds, prober, addresses);
            }
            for (int rate : rates) {
                steps.add(load.run(method, rate, seconds, prober, addresses));
            }
        }
        return steps;
    }

    /** Offers requests and collects results. */
    private final class Load implements AutoCloseable {
        private final Topics topics;
        private final KafkaProducer<String, ProbeRequest> producer;
        private final KafkaConsumer<String, ProbeResult> consumer;
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final Map<String, Long> latency = new ConcurrentHashMap<>();
        private final Map<String, ProbeResult> results = new ConcurrentHashMap<>();
        private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread reader;

        Load(LocalCluster cluster, TopicLayout layout) {
            topics = Topics.create(layout, SchemaRegistryClients.forUrl(cluster.registryUrl()));
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            cluster.bootstrapServers(),
                            ProducerConfig.LINGER_MS_CONFIG,
                            5),
                    topics.probeRequests().keySerde().serializer(),
                    topics.probeRequests().valueSerde().serializer());
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            cluster.bootstrapServers(),
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest"),
                    topics.probeResults().keySerde().deserializer(),
                    topics.probeResults().valueSerde().deserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < layout.partitions(); p++) {
                partitions.add(new TopicPartition(layout.probeResults(), p));
            }
            consumer.assign(partitions);
            reader = new Thread(this::read, "bench-results");
            reader.start();
        }

        private void read() {
            while (!stop.get()) {
                for (ConsumerRecord<String, ProbeResult> record : consumer.poll(Duration.ofMillis(50))) {
                    String id = record.value().getRequestId();
                    Long sent = sentAt.get(id);
                    if (sent != null && results.putIfAbsent(id, record.value()) == null) {
                        long now = System.nanoTime();
                        latency.put(id, now - sent);
                        receivedAt.put(id, now);
                    }
                }
            }
        }

        Step run(String method, int rate, int seconds, ProberService prober, List<String> addresses) {
            sentAt.clear();
            latency.clear();
            results.clear();
            receivedAt.clear();
            int total = rate * seconds;
            long intervalNanos = 1_000_000_000L / rate;
            AtomicInteger peak = new AtomicInteger();
            long cpuStart = cpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.min(wait, 1_000_000));
                }
                int hostIndex = i % hosts;
                String host = hostId(hostIndex);
                // no silence (lastHeartbeatAt = requestedAt): the first-read STALE never applies, so every probe
                // also waits for the second read, the worst case README's RESULTS report
                ProbeRequest request = ProbeRequest.newBuilder()
                        .setRequestId(method + "-" + rate + "-" + i)
                        .setHost(host)
                        .setAddress(addresses.get(hostIndex % addresses.size()))
                        .setAttempt(1)
                        .setLastHeartbeatAt(Instant.now())
                        .setLastStorageSequence(5)
                        .setRequestedAt(Instant.now())
                        .build();
                sentAt.put(request.getRequestId(), System.nanoTime());
                producer.send(new ProducerRecord<>(topics.probeRequests().name(), host, request));
                if (i % 50 == 0) {
                    peak.accumulateAndGet(prober.inFlight(), Math::max);
                }
            }
            long drainUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (results.size() < total && System.nanoTime() < drainUntil) {
                peak.accumulateAndGet(prober.inFlight(), Math::max);
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            long elapsed = System.nanoTime() - start;
            double cores = (cpuNanos() - cpuStart) / (double) elapsed;
            long[] millis = latency.values().stream()
                    .mapToLong(n -> n / 1_000_000)
                    .sorted()
                    .toArray();
            int correct = 0;
            int pingErrors = 0;
            int storageErrors = 0;
            for (ProbeResult result : results.values()) {
                boolean pingFailed = result.getPing().getStatus() == PingStatus.FAILED;
                boolean stale = result.getStorage().getStatus() == StorageStatus.STALE;
                correct += pingFailed && stale ? 1 : 0;
                pingErrors += result.getPing().getStatus() == PingStatus.ERROR ? 1 : 0;
                storageErrors += result.getStorage().getStatus() == StorageStatus.ERROR ? 1 : 0;
            }
            long lastLatency = millis.length == 0 ? 0 : millis[millis.length - 1];
            // steady state: answers received while requests were still offered, after the first 3 s of ramp-up
            long windowStart =
                    start + Duration.ofSeconds(Math.min(3, seconds - 1)).toNanos();
            long windowEnd = start + Duration.ofSeconds(seconds).toNanos();
            long inWindow = receivedAt.values().stream()
                    .filter(t -> t >= windowStart && t < windowEnd)
                    .count();
            double achieved = inWindow / ((windowEnd - windowStart) / 1e9);
            Step step = new Step(
                    method,
                    rate,
                    total,
                    results.size(),
                    achieved,
                    percentile(millis, 50),
                    percentile(millis, 99),
                    lastLatency,
                    correct,
                    pingErrors,
                    storageErrors,
                    peak.get(),
                    cores);
            out.printf(
                    Locale.ROOT,
                    "%s rate %d/s: %d/%d answered, p50 %d ms, p99 %d ms, %d correct, %d ping ERROR, "
                            + "%d storage ERROR, peak in flight %d%n",
                    method,
                    rate,
                    step.received(),
                    total,
                    step.p50Millis(),
                    step.p99Millis(),
                    correct,
                    pingErrors,
                    storageErrors,
                    step.peakInFlight());
            return step;
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            reader.join(5000);
            producer.close();
            consumer.close();
        }
    }

    private void print(List<Step> steps) {
        out.println();
        out.println(
                "| method | offered /s | answered | answered /s (steady) | p50 ms | p99 ms | max ms | FAILED+STALE | "
                        + "ping ERROR | storage ERROR | peak in flight | JVM CPU cores |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Step s : steps) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d/%d | %.0f | %d | %d | %d | %d | %d | %d | %d | %.2f |%n",
                    s.method(),
                    s.rate(),
                    s.received(),
                    s.sent(),
                    s.achievedPerSecond(),
                    s.p50Millis(),
                    s.p99Millis(),
                    s.maxMillis(),
                    s.correct(),
                    s.pingErrors(),
                    s.storageErrors(),
                    s.peakInFlight(),
                    s.cpuCores());
        }
    }

    private static String hostId(int index) {
        return String.format(Locale.ROOT, "bench-%05d", index);
    }

    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
