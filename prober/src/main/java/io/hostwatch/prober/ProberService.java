package io.hostwatch.prober;

import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.hostwatch.runtime.config.ClusterConfig;
import io.hostwatch.runtime.deadletter.DeadLetterRouter;
import io.hostwatch.runtime.ops.Health;
import io.hostwatch.runtime.ops.OpsSecurity;
import io.hostwatch.runtime.ops.OpsServer;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.serde.AvroSerde;
import io.hostwatch.serde.SchemaRegistryClient;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.topics.TopicLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running prober: topics ensured, self-check started, pingers and storage checker wired to the probe loop, the
 * ops endpoint up. {@link #start} returns once the loop thread runs; {@link #close} shuts everything down in order.
 */
public final class ProberService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProberService.class);

    private final ProberConfig config;
    private final ScheduledExecutorService timer;
    private final ExecutorService storageIo;
    private final ExecutorService publisher;
    private final AddressResolver resolver;
    private final Pinger pinger;
    private final Pinger referencePinger;
    private final SelfCheck selfCheck;
    private final Producer<byte[], byte[]> producer;
    private final ProbeLoop loop;
    private final Thread loopThread;
    private final OpsServer ops;
    private final ProberMetrics metrics;
    private final IcmpTool icmpTool;

    private ProberService(ProberConfig config, IcmpTool icmpTool) throws InterruptedException {
        this.config = config;
        this.icmpTool = icmpTool;
        ClusterConfig cluster = config.cluster();
        TopicLayout layout = cluster.topics();
        try (Admin admin = Admin.create(cluster.clientProperties(Map.of()))) {
            new TopicBootstrapper(admin, cluster.replicationFactor(), Duration.ofSeconds(30)).ensure(layout.specs());
        }
        metrics = new ProberMetrics();
        ScheduledThreadPoolExecutor scheduler =
                new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("prober-timer"));
        scheduler.setRemoveOnCancelPolicy(true);
        timer = scheduler;
        storageIo = Executors.newFixedThreadPool(config.storageThreads(), new DaemonThreadFactory("prober-storage"));
        // one thread keeps results in completion order, and send() is quick unless the producer blocks, which would
        // hold up every publish anyway; results completing after close cannot be acknowledged any more: dropped
        // (the offsets stay uncommitted, so they are answered again after a restart)
        publisher = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                new DaemonThreadFactory("prober-publish"),
                new ThreadPoolExecutor.DiscardPolicy());
        resolver = new AddressResolver(config.dnsThreads());
        pinger = pinger(
                config.pingSpec(),
                config.pingCount(),
                config.pingInterval(),
                config.pingTimeout(),
                config.pingMaxConcurrent(icmpTool));
        String[] reference = reference(config);
        PingSpec referenceSpec = config.referenceAddress().isEmpty()
                ? new PingSpec(io.hostwatch.schema.PingMethod.TCP, Integer.parseInt(reference[1]))
                : config.referenceSpec();
        referencePinger = pinger(referenceSpec, 1, config.pingInterval(), config.selfCheckTimeout(), 4);
        String referenceName = reference[0] + " (" + referenceSpec + ")";
        Supplier<CompletableFuture<PingOutcome>> referencePing =
                () -> referencePinger.ping(reference[0], Deadline.in(config.selfCheckTimeout()));
        selfCheck = new SelfCheck(
                referenceName,
                referencePing,
                config.storageRoot(),
                storageIo,
                timer,
                config.selfCheckInterval(),
                config.selfCheckTimeout());
        SelfCheck.Status first = selfCheck.start();
        metrics.selfCheck(first);
        timer.scheduleWithFixedDelay(() -> metrics.selfCheck(selfCheck.current()), 1, 1, TimeUnit.SECONDS);
        LOG.info("Initial self-check: {}", first.summary());

        SchemaRegistryClient registry = SchemaRegistryClients.forUrl(cluster.schemaRegistryUrl());
        AvroSerde<ProbeRequest> requestSerde = AvroSerde.of(ProbeRequest.class, registry);
        AvroSerde<ProbeResult> resultSerde = AvroSerde.of(ProbeResult.class, registry);
        producer = new KafkaProducer<>(cluster.clientProperties(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG,
                "prober-" + config.proberId(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                10_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class)));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cluster.clientProperties(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "prober-" + config.proberId(),
                ConsumerConfig.GROUP_ID_CONFIG,
                config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class)));
        DeadLetterRouter deadLetters =
                new DeadLetterRouter(producer, layout.deadLetters(), "prober-" + config.proberId());
        Prober prober = new Prober(
                config.proberId(),
                pinger,
                new StorageChecker(
                        config.storageRoot(), storageIo, timer, config.storageTiming(), config.storageAuth()),
                selfCheck,
                timer,
                config.deadline(),
                Clock.systemUTC(),
                config.allowedNetworks());
        loop = new ProbeLoop(
                consumer,
                producer,
                requestSerde,
                resultSerde,
                deadLetters,
                prober,
                publisher,
                metrics,
                new ProbeLoop.Settings(
                        config.proberId(),
                        config.groupId(),
                        config.fanout(),
                        layout.probeRequests(),
                        layout.probeResults(),
                        config.maxInFlight(),
                        config.requestMaxAge(),
                        config.shutdownTimeout()),
                Clock.systemUTC());
        metrics.registerInFlight(loop::inFlight);
        ops = config.opsPort() < 0 ? null : startOps();
        loopThread = new Thread(loop, "prober-loop");
        loopThread.setUncaughtExceptionHandler((thread, error) -> LOG.error("Probe loop died", error));
        loopThread.start();
    }

    /** Ensures topics, runs the first self-check and starts consuming. */
    public static ProberService start(ProberConfig config) throws InterruptedException {
        IcmpTool tool = IcmpTool.PING;
        if (config.pingSpec().method() == io.hostwatch.schema.PingMethod.ICMP
                || (!config.referenceAddress().isEmpty()
                        && config.referenceSpec().method() == io.hostwatch.schema.PingMethod.ICMP)) {
            tool = icmpTool(config);
            if (tool == IcmpTool.PING) {
                IcmpPinger.unusableReason(config.pingCommand()).ifPresent(reason -> {
                    throw new ConfigException(ProberConfig.PING_COMMAND_CONFIG, config.pingCommand(), reason);
                });
            }
            LOG.info("ICMP echo through {}", tool == IcmpTool.FPING ? config.fpingCommand() : config.pingCommand());
        }
        LOG.info("Starting prober: {}", config.summary());
        return new ProberService(config, tool);
    }

    /** The configured tool, with 'auto' decided by whether fping runs here; 'fping' that cannot run stops start-up. */
    static IcmpTool icmpTool(ProberConfig config) {
        IcmpTool configured = config.icmpTool();
        if (configured == IcmpTool.PING) {
            return IcmpTool.PING;
        }
        Optional<String> unusable = FpingPinger.unusableReason(config.fpingCommand());
        if (unusable.isEmpty()) {
            return IcmpTool.FPING;
        }
        if (configured == IcmpTool.FPING) {
            throw new ConfigException(
                    ProberConfig.ICMP_TOOL_CONFIG,
                    "fping",
                    unusable.get() + " (set " + ProberConfig.ICMP_FPING_COMMAND_CONFIG + ", install fping, or set "
                            + ProberConfig.ICMP_TOOL_CONFIG + "=ping)");
        }
        LOG.warn(
                "{}=auto: {}; using one ping process per probe (~100 silent-host probes/s), install fping for more",
                ProberConfig.ICMP_TOOL_CONFIG,
                unusable.get());
        return IcmpTool.PING;
    }

    private Pinger pinger(PingSpec spec, int count, Duration interval, Duration timeout, int maxConcurrent) {
        if (spec.method() == io.hostwatch.schema.PingMethod.ICMP && icmpTool == IcmpTool.FPING) {
            return new FpingPinger(
                    config.fpingCommand(),
                    count,
                    interval,
                    timeout,
                    maxConcurrent,
                    config.icmpBatchSize(),
                    config.icmpBatchWindow(),
                    resolver);
        }
        if (spec.method() == io.hostwatch.schema.PingMethod.ICMP) {
            return new IcmpPinger(config.pingCommand(), count, interval, timeout, maxConcurrent, resolver);
        }
        return new TcpPinger(spec.port(), count, interval, timeout, maxConcurrent, resolver);
    }

    /** {address, port}: the configured reference, or the first bootstrap server. */
    private static String[] reference(ProberConfig config) {
        if (!config.referenceAddress().isEmpty()) {
            return new String[] {config.referenceAddress(), "0"};
        }
        String first = config.cluster().bootstrapServers().split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException(ClusterConfig.BOOTSTRAP_SERVERS_CONFIG, first, "expected host:port");
        }
        String host = first.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, first.substring(colon + 1)};
    }

    private OpsServer startOps() {
        try {
            return OpsServer.start(
                    config.opsBindAddress(),
                    config.opsPort(),
                    this::health,
                    metrics.registry(),
                    Map.of(),
                    OpsSecurity.from(config),
                    Set.of());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start the ops endpoint on " + config.opsBindAddress() + ":" + config.opsPort(), e);
        }
    }

    /** UP when the loop runs, has partitions assigned and the self-check passes. */
    public Health health() {
        SelfCheck.Status status = selfCheck.current();
        String detail = "prober=" + config.proberId() + " ready=" + loop.ready() + " inFlight=" + loop.inFlight()
                + " selfCheck: " + status.summary();
        return loop.running() && loop.ready() && status.ok() ? Health.up(detail) : Health.down(detail);
    }

    public boolean ready() {
        return loop.ready();
    }

    /** Requests being probed or published right now. */
    public int inFlight() {
        return loop.inFlight();
    }

    /** The ops endpoint's port, or -1 if disabled. */
    public int opsPort() {
        return ops == null ? -1 : ops.port();
    }

    /** Blocks until the probe loop ends (after {@link #close}, or if it died). */
    public void awaitLoop() throws InterruptedException {
        loopThread.join();
    }

    public boolean loopAlive() {
        return loopThread.isAlive();
    }

    @Override
    public void close() {
        LOG.info("Stopping prober {}", config.proberId());
        loop.stop();
        try {
            loopThread.join(config.shutdownTimeout().plusSeconds(10).toMillis());
            if (loopThread.isAlive()) {
                LOG.warn(
                        "Probe loop did not stop within {} ms; closing anyway (uncommitted requests will be "
                                + "answered again after a restart)",
                        config.shutdownTimeout().plusSeconds(10).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.shutdown();
        producer.close(Duration.ofSeconds(5));
        if (ops != null) {
            ops.close();
        }
        pinger.close();
        referencePinger.close();
        resolver.close();
        timer.shutdownNow();
        storageIo.shutdownNow();
        LOG.info("Prober {} stopped", config.proberId());
    }
}
