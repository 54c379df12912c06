package io.hostwatch.detector;

import com.sun.net.httpserver.HttpHandler;
import io.hostwatch.detector.console.ChangeTracker;
import io.hostwatch.detector.console.Console;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.runtime.ops.Health;
import io.hostwatch.runtime.ops.OpsServer;
import io.hostwatch.schema.Tick;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.serde.SchemaRegistryException;
import io.hostwatch.topics.TopicSpec;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running detector instance: topics bootstrapped, the Kafka Streams topology, the ticker and the HTTP
 * endpoint. {@link DetectorApp} runs one until a signal; integration tests run several in one JVM.
 */
public final class DetectorRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorRuntime.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Thread replacements tolerated before the instance gives up and exits (systemd restarts it). */
    private static final int MAX_THREAD_REPLACEMENTS = 10;

    private final DetectorConfig config;
    private final KafkaStreams streams;
    private final Ticker ticker;
    private final OpsServer ops;
    private final DetectorMetrics metrics;
    private final Console console;
    private final CompletableFuture<KafkaStreams.State> terminated = new CompletableFuture<>();
    private final AtomicInteger replacements = new AtomicInteger();

    private DetectorRuntime(
            DetectorConfig config,
            KafkaStreams streams,
            Ticker ticker,
            OpsServer ops,
            DetectorMetrics metrics,
            Console console) {
        this.config = config;
        this.console = console;
        this.streams = streams;
        this.ticker = ticker;
        this.ops = ops;
        this.metrics = metrics;
    }

    public static DetectorRuntime start(DetectorConfig config) throws InterruptedException {
        return start(
                config,
                Topics.create(
                        config.cluster().topics(),
                        SchemaRegistryClients.forUrl(config.cluster().schemaRegistryUrl())));
    }

    /** Starts with the given topics and serdes (the benchmark shares an in-memory registry with its generator). */
    public static DetectorRuntime start(DetectorConfig config, Topics topics) throws InterruptedException {
        bootstrapTopics(config);
        DetectorMetrics metrics = new DetectorMetrics();
        int port = config.httpPort() == 0 ? freePort() : config.httpPort();
        Properties props = DetectorTopology.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.httpAdvertisedHost() + ":" + port);
        ChangeTracker changes = new ChangeTracker(metrics);
        Topology topology = DetectorTopology.build(config, topics, changes);
        KafkaStreams streams = new KafkaStreams(topology, props);
        HostStateMachine renderer = new HostStateMachine(config.detection(), DetectorTopology.version());
        HostInfo self = new HostInfo(config.httpAdvertisedHost(), port);
        HostsHttpHandler hosts = new HostsHttpHandler(streams, renderer, self, config.opsSecurity());
        Console console = Console.start(
                streams, new StoreConsoleSource(streams), changes, self, config.tickInterval(), config.opsSecurity());
        Map<String, HttpHandler> routes = new HashMap<>(console.routes());
        routes.put("/hosts", hosts);
        OpsServer ops;
        try {
            ops = OpsServer.start(
                    config.httpBind(),
                    port,
                    () -> health(streams),
                    metrics.registry(),
                    routes,
                    config.opsSecurity(),
                    console.publicRoutes());
        } catch (IOException e) {
            console.close();
            streams.close(Duration.ZERO);
            throw new UncheckedIOException("Cannot open the HTTP endpoint on " + config.httpBind() + ":" + port, e);
        }
        Ticker ticker = null;
        if (config.tickerEnabled()) {
            Map<String, Object> producerProps = new HashMap<>();
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producerProps.put(
                    ProducerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-ticker-" + config.instanceId());
            ticker = Ticker.start(
                    new KafkaProducer<String, Tick>(
                            tickerProps(config, producerProps),
                            new StringSerializer(),
                            topics.ticks().valueSerde().serializer()),
                    topics.ticks().name(),
                    config.cluster().topics().partitions(),
                    config.instanceId(),
                    config.tickInterval());
        }
        DetectorRuntime runtime = new DetectorRuntime(config, streams, ticker, ops, metrics, console);
        streams.setUncaughtExceptionHandler(runtime::onUncaught);
        streams.setStateListener((now, before) -> {
            LOG.info("Detector {} state {} -> {}", config.instanceId(), before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                runtime.terminated.complete(now);
            }
        });
        streams.start();
        LOG.info(
                "Detector {} started: application.id={}, http port {}, topics prefix '{}' x{} partitions",
                config.instanceId(),
                config.applicationId(),
                port,
                config.cluster().topics().prefix(),
                config.cluster().topics().partitions());
        return runtime;
    }

    private static Map<String, Object> tickerProps(DetectorConfig config, Map<String, Object> defaults) {
        Map<String, Object> props = config.cluster().clientProperties(defaults);
        // Streams-only keys an operator passes as kafka.* would only make the producer warn
        props.keySet()
                .removeIf(key -> StreamsConfig.configDef().names().contains(key)
                        && !ProducerConfig.configNames().contains(key));
        return props;
    }

    static void bootstrapTopics(DetectorConfig config) throws InterruptedException {
        List<TopicSpec> specs = new ArrayList<>(config.cluster().topics().specs());
        specs.addAll(new DetectorInternalTopics(
                        config.applicationId(), config.cluster().topics().partitions())
                .specs());
        try (Admin admin = Admin.create(config.cluster().clientProperties(Map.of()))) {
            TopicBootstrapper.Report report = new TopicBootstrapper(
                            admin, config.cluster().replicationFactor(), Duration.ofSeconds(60))
                    .ensure(specs);
            LOG.info("Topics ready: created {}, existing {}", report.created(), report.existing());
        }
    }

    private StreamThreadExceptionResponse onUncaught(Throwable error) {
        if (error.getCause() instanceof SchemaRegistryException || error instanceof SchemaRegistryException) {
            LOG.error("Schema registry unavailable; replacing the stream thread to retry", error);
        } else {
            LOG.error("Stream thread died", error);
        }
        if (replacements.incrementAndGet() > MAX_THREAD_REPLACEMENTS) {
            LOG.error("More than {} stream thread failures: shutting this instance down", MAX_THREAD_REPLACEMENTS);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static Health health(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        return new Health(up, "kafka-streams " + state);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public DetectorMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return ops.port();
    }

    public DetectorConfig config() {
        return config;
    }

    /** Completes with ERROR or NOT_RUNNING when Kafka Streams stops for good. */
    public CompletableFuture<KafkaStreams.State> terminated() {
        return terminated;
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.close();
        }
        console.close();
        streams.close(CLOSE_TIMEOUT);
        ops.close();
        LOG.info("Detector {} stopped", config.instanceId());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
