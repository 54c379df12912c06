package io.hostwatch.detector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.local.KafkaBroker;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.serde.InMemorySchemaRegistryClient;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How fast the console's {@code /api/hosts} answers with a fleet of N hosts heartbeating once a second (the detector
 * busy with them meanwhile), side by side with the old unpaged {@code /hosts} in the same run. One local broker,
 * one detector instance (12 partitions, in-memory registry client), requests one after another from one client,
 * the queries interleaved round by round. A few hosts per failure domain stop heartbeating so that filters by state
 * have something to find.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/bench.cp) io.hostwatch.detector.ConsoleBench \
 *     --hosts 10000 --rounds 1000
 * </pre>
 */
public final class ConsoleBench {
    private static final PrintStream OUT = System.out;
    private static final int PARTITIONS = 12;
    private static final int DOMAINS = 10;
    private static final int SILENCED_EVERY = 100;

    private ConsoleBench() {}

    public static void main(String... args) throws Exception {
        int hosts = 10_000;
        int rounds = 1000;
        for (int i = 0; i < args.length - 1; i += 2) {
            if (args[i].equals("--hosts")) {
                hosts = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--rounds")) {
                rounds = Integer.parseInt(args[i + 1]);
            }
        }
        Path work = Path.of("target", "console-bench").toAbsolutePath();
        TestFiles.deleteRecursively(work);
        KafkaBroker broker = KafkaBroker.start(new KafkaBroker.Settings(work.resolve("kafka"), 0, 0, "1g", Map.of()));
        AtomicBoolean running = new AtomicBoolean(true);
        DetectorRuntime detector = null;
        Thread generator = null;
        try {
            Topics topics = Topics.create(new TopicLayout("cb.", PARTITIONS), new InMemorySchemaRegistryClient());
            Map<String, String> values = new HashMap<>();
            values.put("kafka.bootstrap.servers", broker.bootstrapServers());
            values.put("schema.registry.url", "http://unused-in-bench");
            values.put("topic.prefix", "cb.");
            values.put("topic.partitions", Integer.toString(PARTITIONS));
            values.put("application.id", "cb.detector");
            values.put("state.dir", work.resolve("state").toString());
            values.put("http.port", "0");
            values.put("http.bind", "127.0.0.1");
            values.put("http.advertised.host", "127.0.0.1");
            detector = DetectorRuntime.start(new DetectorConfig(values), topics);
            int n = hosts;
            String bootstrap = broker.bootstrapServers();
            generator = new Thread(() -> generate(bootstrap, topics, n, running), "generator");
            generator.start();
            String base = "http://127.0.0.1:" + detector.httpPort();
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            int expectedSilent = hosts / SILENCED_EVERY;
            JsonNode summary = null;
            while (System.nanoTime() < deadline) {
                if (detector.streams().state() == KafkaStreams.State.RUNNING) {
                    HttpResponse<String> r = send(http, base + "/api/summary");
                    if (r.statusCode() == 200) {
                        summary = json.readTree(r.body());
                        if (summary.get("total").asInt() == hosts
                                && summary.at("/counts/RUNNING").asInt() == hosts - expectedSilent) {
                            break;
                        }
                    }
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            OUT.println("fleet: " + summary);
            Map<String, String> queries = new LinkedHashMap<>();
            queries.put("/api/hosts (first page of 50, worst first)", "/api/hosts?limit=50");
            queries.put("/api/hosts?state=UNKNOWN", "/api/hosts?state=UNKNOWN&limit=50");
            queries.put("/api/hosts?domain=az3&offset=500", "/api/hosts?domain=az3&offset=500&limit=50");
            queries.put("/api/hosts?q=host-0042", "/api/hosts?q=host-0042&limit=50");
            queries.put("/api/summary", "/api/summary");
            queries.put("/api/domains", "/api/domains");
            queries.put("baseline /hosts (unpaged, every host)", "/hosts");
            queries.put("baseline /hosts?state=UNKNOWN", "/hosts?state=UNKNOWN");
            Map<String, List<Long>> micros = new LinkedHashMap<>();
            Map<String, Integer> bytes = new LinkedHashMap<>();
            queries.keySet().forEach(k -> micros.put(k, new ArrayList<>()));
            int warmup = Math.max(50, rounds / 10);
            for (int round = 0; round < warmup + rounds; round++) {
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    long started = System.nanoTime();
                    HttpResponse<String> r = send(http, base + q.getValue());
                    long took = (System.nanoTime() - started) / 1000;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(q.getValue() + " answered " + r.statusCode() + ": " + r.body());
                    }
                    if (round >= warmup) {
                        micros.get(q.getKey()).add(took);
                        bytes.put(q.getKey(), r.body().length());
                    }
                }
            }
            OUT.println();
            OUT.printf(Locale.ROOT, "%d hosts, %d rounds after %d warm-up rounds%n", hosts, rounds, warmup);
            OUT.println("| request | p50 ms | p99 ms | max ms | response bytes |");
            OUT.println("|---|---|---|---|---|");
            for (Map.Entry<String, List<Long>> e : micros.entrySet()) {
                List<Long> sorted = new ArrayList<>(e.getValue());
                sorted.sort(null);
                OUT.printf(
                        Locale.ROOT,
                        "| %s | %.1f | %.1f | %.1f | %,d |%n",
                        e.getKey(),
                        percentile(sorted, 0.50) / 1000.0,
                        percentile(sorted, 0.99) / 1000.0,
                        sorted.get(sorted.size() - 1) / 1000.0,
                        bytes.get(e.getKey()));
            }
        } finally {
            running.set(false);
            if (generator != null) {
                generator.join(5000);
            }
            if (detector != null) {
                detector.close();
            }
            broker.close();
            TestFiles.deleteRecursively(work);
        }
    }

    private static HttpResponse<String> send(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** One heartbeat per host per second, except every {@value #SILENCED_EVERY}th host after its first ten. */
    private static void generate(String bootstrap, Topics topics, int hosts, AtomicBoolean running) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        List<Heartbeat> beats = new ArrayList<>(hosts);
        for (int i = 0; i < hosts; i++) {
            beats.add(Heartbeat.newBuilder()
                    .setHost(String.format(Locale.ROOT, "host-%05d", i))
                    .setAgentInstance("a-" + i)
                    .setSequence(0)
                    .setSentAt(Instant.now())
                    .setIntervalMs(1000)
                    .setAddress("198.18." + (i / 250 % 250) + "." + (i % 250))
                    .setFailureDomain("az" + (i % DOMAINS))
                    .setServiceStatus(ServiceStatus.OK)
                    .setStorageSequence(0)
                    .setStorageWriteOk(true)
                    .setAgentVersion("bench")
                    .build());
        }
        try (KafkaProducer<String, Heartbeat> producer = new KafkaProducer<>(
                props, new StringSerializer(), topics.heartbeats().valueSerde().serializer())) {
            for (int second = 0; running.get(); second++) {
                long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                for (int i = 0; i < hosts; i++) {
                    if (second >= 10 && i % SILENCED_EVERY == (i / SILENCED_EVERY) % SILENCED_EVERY) {
                        continue;
                    }
                    Heartbeat hb = beats.get(i);
                    hb.setSequence(hb.getSequence() + 1);
                    hb.setStorageSequence(hb.getSequence());
                    hb.setSentAt(Instant.now());
                    producer.send(new ProducerRecord<>(topics.heartbeats().name(), hb.getHost(), hb));
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
