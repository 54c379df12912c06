package io.hostwatch.agent;

import io.hostwatch.agent.isolation.DefaultGateway;
import io.hostwatch.agent.isolation.IsolationAddress;
import io.hostwatch.agent.isolation.IsolationMonitor;
import io.hostwatch.agent.isolation.IsolationResponse;
import io.hostwatch.agent.isolation.PingReachabilityProbe;
import io.hostwatch.agent.isolation.ReachabilityProbe;
import io.hostwatch.agent.isolation.TcpReachabilityProbe;
import io.hostwatch.agent.service.CommandServiceCheck;
import io.hostwatch.agent.service.NoServiceCheck;
import io.hostwatch.agent.service.PidfileServiceCheck;
import io.hostwatch.agent.service.ServiceCheck;
import io.hostwatch.agent.service.ServiceDownGate;
import io.hostwatch.agent.service.ServiceWatch;
import io.hostwatch.agent.storage.StorageHeartbeatWriter;
import io.hostwatch.auth.HostKey;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.hostwatch.runtime.config.ClusterConfig;
import io.hostwatch.runtime.ops.Health;
import io.hostwatch.runtime.ops.OpsSecurity;
import io.hostwatch.runtime.ops.OpsServer;
import io.hostwatch.runtime.security.ClientPrincipal;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.serde.AvroSerde;
import io.hostwatch.serde.SchemaRegistryClients;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: one producer, one heartbeat thread, one storage write pool, one isolation monitor and the
 * service watches, shared by its {@link HostAgent}s (one on a real host, N with {@code --simulate N}: same code
 * path). Nothing the heartbeat thread does can block: storage writes, service checks, isolation probes, producer
 * creation and schema registration all run on their own threads.
 */
public final class MemberAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberAgent.class);
    public static final String VERSION = Optional.ofNullable(
                    MemberAgent.class.getPackage().getImplementationVersion())
            .orElse("dev");

    private final MemberAgentConfig config;
    private final AgentMetrics metrics = new AgentMetrics();
    private final List<HostAgent> hosts = new ArrayList<>();
    private final List<ServiceWatch> watches = new ArrayList<>();
    private final ScheduledThreadPoolExecutor heartbeats = scheduler("heartbeat");
    private final ScheduledThreadPoolExecutor control = scheduler("agent-control");
    private final ScheduledThreadPoolExecutor checks = scheduler("service-check");
    private final ScheduledThreadPoolExecutor isolationThread = scheduler("isolation-monitor");
    private final ExecutorService storageWriters;
    private final HeartbeatPublisher publisher;
    private final IsolationMonitor isolation;
    private final ChosenSilence silence;
    private final CompletableFuture<ConfigException> configRejected = new CompletableFuture<>();
    private OpsServer ops;
    private volatile boolean closed;

    private MemberAgent(MemberAgentConfig config, List<HostIdentity> identities) {
        this.config = config;
        int threads = config.storageWriteThreads();
        storageWriters = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(16, identities.size() * 2)),
                threads("storage-writer"));
        ClusterConfig cluster = config.cluster();
        String topic = cluster.topics().heartbeats();
        HostIdentity first = identities.get(0);
        Heartbeat sample = new Heartbeat(
                first.host(),
                first.agentInstance(),
                -1L,
                Instant.now(),
                (int) config.heartbeatInterval().toMillis(),
                first.address(),
                null,
                ServiceStatus.OK,
                -1L,
                true,
                VERSION,
                "sample-key-id",
                java.nio.ByteBuffer.wrap(new byte[32]));
        String clientId = "hostwatch-agent-" + (identities.size() == 1 ? first.host() : "sim-" + identities.size());
        Map<String, Object> producerProps = producerProperties(config, identities.size(), clientId);
        publisher = new HeartbeatPublisher(
                topic,
                AvroSerde.of(Heartbeat.class, SchemaRegistryClients.forUrl(cluster.schemaRegistryUrl())),
                () -> new KafkaProducer<String, byte[]>(producerProps),
                sample,
                this::prepareKafka,
                metrics,
                control,
                configRejected::complete,
                ClientPrincipal.describe(producerProps));
        String hostList = identities.size() == 1
                ? first.host()
                : first.host() + ".." + identities.get(identities.size() - 1).host();
        silence = new ChosenSilence(identities.size());
        isolation = isolationMonitor(config, hostList);
        Map<String, ServiceWatch> watchByCheck = new HashMap<>();
        long intervalNanos = config.heartbeatInterval().toNanos();
        for (HostIdentity identity : identities) {
            ServiceWatch watch = watchByCheck.computeIfAbsent(checkKey(config, identity.host()), key -> {
                ServiceWatch created = new ServiceWatch(identity.host(), serviceCheck(config, identity.host()));
                watches.add(created);
                return created;
            });
            HostKey key = config.keys().keyFor(identity.host(), MemberAgentConfig.AUTH_KEY_FILE_CONFIG);
            StorageHeartbeatWriter storage = config.storageRoot()
                    .map(root -> new StorageHeartbeatWriter(
                            root,
                            identity.host(),
                            identity.agentInstance(),
                            storageWriters,
                            config.storageWriteTimeout(),
                            config.storageFsync(),
                            metrics,
                            key))
                    .orElse(null);
            hosts.add(new HostAgent(
                    identity,
                    (int) (intervalNanos / 1_000_000),
                    VERSION,
                    watch,
                    new ServiceDownGate(identity.host(), config.serviceDownAction(), config.serviceDownGrace()),
                    storage,
                    publisher,
                    isolation == null ? () -> false : isolation::isolated,
                    silence,
                    key));
        }
        registerGauges();
    }

    /** Builds and starts the agent for {@code identities}; returns once every schedule is in place. */
    public static MemberAgent start(MemberAgentConfig config, List<HostIdentity> identities) throws IOException {
        if (identities.isEmpty()) {
            throw new IllegalArgumentException("no hosts to run");
        }
        if (config.isolationMethod() == MemberAgentConfig.IsolationMethod.PING
                && !config.isolationAddresses().isEmpty()
                && PingReachabilityProbe.findPing().isEmpty()) {
            // without this every check would fail and the agent would declare itself isolated
            throw new ConfigException(
                    MemberAgentConfig.ISOLATION_CHECK_METHOD_CONFIG,
                    "ping",
                    "no ping command on the PATH (" + System.getenv().getOrDefault("PATH", "") + "): install "
                            + "iputils-ping or use 'tcp' or 'auto'");
        }
        MemberAgent agent = new MemberAgent(config, identities);
        try {
            agent.startAll();
        } catch (IOException | RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private void startAll() throws IOException {
        publisher.start();
        watches.forEach(watch -> watch.start(checks, config.serviceCheckInterval()));
        if (isolation != null) {
            isolation.start(isolationThread, config.isolationCheckInterval());
        }
        long interval = config.heartbeatInterval().toNanos();
        for (int i = 0; i < hosts.size(); i++) {
            // Spread virtual hosts over the interval instead of sending N heartbeats in one burst.
            long offset = interval * i / hosts.size();
            heartbeats.scheduleWithFixedDelay(hosts.get(i)::tick, offset, interval, TimeUnit.NANOSECONDS);
        }
        if (config.opsPort() >= 0) {
            ops = OpsServer.start(
                    config.opsBindAddress(),
                    config.opsPort(),
                    this::health,
                    metrics.registry(),
                    Map.of(),
                    OpsSecurity.from(config),
                    Set.of());
        }
        HostIdentity first = hosts.get(0).identity();
        LOG.info(
                "event=agent.started version={} hosts={} host={} instance={} address={} failure_domain={} "
                        + "topic={} interval_ms={} delivery_timeout_ms={} storage={} service_check=\"{}\" "
                        + "service_down_action={} grace_ms={} isolation=\"{}\" ops_port={}",
                VERSION,
                hosts.size(),
                first.host(),
                first.agentInstance(),
                first.address(),
                first.failureDomain().orElse("-"),
                config.cluster().topics().heartbeats(),
                config.heartbeatInterval().toMillis(),
                config.deliveryTimeout().toMillis(),
                config.storageRoot().map(Path::toString).orElse("disabled"),
                watches.stream().map(ServiceWatch::describe).distinct().limit(3).collect(Collectors.joining(",")),
                config.serviceDownAction().configValue(),
                config.serviceDownGrace().toMillis(),
                isolation == null ? "disabled" : isolation.describe(),
                ops == null ? "off" : ops.port());
        if (config.storageRoot().isEmpty()) {
            LOG.warn("event=storage.disabled: storage.root is not set; heartbeats carry storageSequence=-1 and "
                    + "the prober cannot tell an isolated host from a dead one");
        }
    }

    static Map<String, Object> producerProperties(MemberAgentConfig config, int hostCount, String clientId) {
        return HeartbeatProducerProperties.of(
                config.cluster(), config.deliveryTimeout(), config.heartbeatInterval(), hostCount, clientId);
    }

    /**
     * Topic bootstrap if enabled, then a check that the broker lets this principal see the heartbeat topic. The
     * check is needed because the producer runs with {@code max.block.ms=0}: its sends time out before the
     * metadata's TOPIC_AUTHORIZATION_FAILED ever reaches them, so a refused agent would otherwise only ever log
     * "not present in metadata". Only a refusal stops the start-up; an unreachable broker does not (the producer
     * connects when it can, as before).
     */
    private void prepareKafka() throws InterruptedException {
        ClusterConfig cluster = config.cluster();
        // kafka.* carries the security settings: the admin client needs them as much as the producer
        Map<String, Object> props = cluster.clientProperties(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
        if (config.topicBootstrap()) {
            try (Admin admin = Admin.create(props)) {
                TopicBootstrapper.Report report = new TopicBootstrapper(
                                admin, cluster.replicationFactor(), Duration.ofSeconds(15))
                        .ensure(cluster.topics().specs());
                LOG.info("event=topics.ready created={} existing={}", report.created(), report.existing());
            }
        }
        checkTopicAccess(props, cluster.topics().heartbeats());
    }

    private static void checkTopicAccess(Map<String, Object> props, String topic) throws InterruptedException {
        try (Admin admin = Admin.create(props)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException denied) {
                throw denied;
            }
            LOG.debug("Heartbeat topic check inconclusive: {}", e.getCause().toString());
        } catch (TimeoutException | KafkaException e) {
            // broker not reachable yet, or a configuration the producer's construction reports better
            LOG.debug("Heartbeat topic check inconclusive: {}", e.toString());
        }
    }

    private static String checkKey(MemberAgentConfig config, String host) {
        return switch (config.serviceCheck()) {
            case NONE -> "none";
            case COMMAND -> "command:" + config.serviceCheckCommand().replace(MemberAgentConfig.HOST_PLACEHOLDER, host);
            case PIDFILE -> "pidfile:" + config.serviceCheckPidfile().replace(MemberAgentConfig.HOST_PLACEHOLDER, host);
        };
    }

    private static ServiceCheck serviceCheck(MemberAgentConfig config, String host) {
        return switch (config.serviceCheck()) {
            case NONE -> new NoServiceCheck();
            case COMMAND ->
                new CommandServiceCheck(
                        new ShellCommand(
                                config.serviceCheckCommand().replace(MemberAgentConfig.HOST_PLACEHOLDER, host),
                                config.serviceCheckTimeout(),
                                false),
                        config.degradedExitCodes(),
                        host);
            case PIDFILE ->
                new PidfileServiceCheck(
                        Path.of(config.serviceCheckPidfile().replace(MemberAgentConfig.HOST_PLACEHOLDER, host)),
                        config.serviceCheckPidfileMatch());
        };
    }

    private IsolationMonitor isolationMonitor(MemberAgentConfig config, String hostList) {
        List<IsolationAddress> addresses = new ArrayList<>();
        for (String entry : config.isolationAddresses()) {
            if (entry.equals(MemberAgentConfig.GATEWAY)) {
                Optional<String> gateway = DefaultGateway.detect();
                gateway.ifPresentOrElse(
                        gw -> addresses.add(new IsolationAddress(gw, config.isolationTcpPort())),
                        () -> LOG.warn("event=isolation.no_gateway: isolation.addresses names 'gateway' but this "
                                + "host has no default IPv4 route"));
            } else {
                addresses.add(IsolationAddress.parse(entry, config.isolationTcpPort()));
            }
        }
        if (addresses.isEmpty()) {
            LOG.warn("event=isolation.disabled: no isolation address, self-isolation detection is off");
            return null;
        }
        ReachabilityProbe probe = probe(config.isolationMethod());
        IsolationResponse response = new IsolationResponse(
                config.isolationResponseCommand().map(c -> new ShellCommand(c, config.isolationCommandTimeout(), true)),
                config.isolationRecoveryCommand().map(c -> new ShellCommand(c, config.isolationCommandTimeout(), true)),
                hostList);
        return new IsolationMonitor(
                addresses,
                probe,
                config.isolationCheckTimeout(),
                config.isolationTimeout(),
                config.heartbeatInterval().multipliedBy(2),
                publisher::lastAckNanos,
                silence::lastNanos,
                response,
                hostList);
    }

    private static ReachabilityProbe probe(MemberAgentConfig.IsolationMethod method) {
        Optional<Path> ping = PingReachabilityProbe.findPing();
        switch (method) {
            case TCP:
                return new TcpReachabilityProbe();
            case PING:
                return new PingReachabilityProbe(ping.orElseThrow());
            default:
                if (ping.isPresent()) {
                    return new PingReachabilityProbe(ping.get());
                }
                LOG.warn("event=isolation.no_ping: no ping command on the PATH, isolation addresses are checked with "
                        + "TCP connect");
                return new TcpReachabilityProbe();
        }
    }

    private void registerGauges() {
        GaugeWithCallback.builder()
                .name("hostwatch_agent_hosts")
                .help("Hosts run by this agent by phase (running, service_down = sending DOWN, stopped = silent)")
                .labelNames("phase")
                .callback(callback -> {
                    Map<ServiceDownGate.Phase, Integer> counts = new EnumMap<>(ServiceDownGate.Phase.class);
                    for (ServiceDownGate.Phase phase : ServiceDownGate.Phase.values()) {
                        counts.put(phase, 0);
                    }
                    hosts.forEach(host -> counts.merge(host.phase(), 1, Integer::sum));
                    counts.forEach(
                            (phase, count) -> callback.call(count, phase.name().toLowerCase(java.util.Locale.ROOT)));
                })
                .register(metrics.registry());
        GaugeWithCallback.builder()
                .name("hostwatch_agent_isolated")
                .help("1 while this host has declared itself isolated")
                .callback(callback -> callback.call(isolated() ? 1 : 0))
                .register(metrics.registry());
    }

    Health health() {
        long sinceAck = (System.nanoTime() - publisher.lastAckNanos()) / 1_000_000;
        String detail = "hosts=" + hosts.size() + " last_ack_ms_ago=" + sinceAck + " isolated=" + isolated();
        boolean delivering = publisher.everDelivered()
                && sinceAck
                        <= config.deliveryTimeout()
                                .plus(config.heartbeatInterval().multipliedBy(2))
                                .toMillis();
        return delivering ? Health.up(detail) : Health.down(detail);
    }

    /**
     * Completes if the Kafka client rejects the producer configuration after start-up (what config validation
     * could not know, e.g. a malformed bootstrap address): retrying cannot help, the process should exit 2.
     */
    public CompletableFuture<ConfigException> configRejected() {
        return configRejected;
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    public List<HostAgent> hosts() {
        return List.copyOf(hosts);
    }

    public boolean isolated() {
        return isolation != null && isolation.isolated();
    }

    public Optional<Integer> opsPort() {
        return Optional.ofNullable(ops).map(OpsServer::port);
    }

    /** Stops heartbeating, flushes what is in flight, closes; removes nothing (the storage file stays). */
    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("event=agent.stopping timeout_ms={}", timeout.toMillis());
        heartbeats.shutdownNow();
        watches.forEach(ServiceWatch::close);
        checks.shutdownNow();
        if (isolation != null) {
            isolation.close();
        }
        isolationThread.shutdownNow();
        control.shutdownNow();
        publisher.close(timeout);
        storageWriters.shutdown();
        try {
            if (!storageWriters.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("event=storage.write_abandoned: a storage write is still hanging at shutdown");
                storageWriters.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ops != null) {
            ops.close();
        }
        LOG.info(
                "event=agent.stopped sent={} delivered={} dropped={}",
                metrics.heartbeatsSent(),
                metrics.heartbeatsDelivered(),
                metrics.heartbeatsDropped());
    }

    @Override
    public void close() {
        close(config.shutdownTimeout());
    }

    private static ScheduledThreadPoolExecutor scheduler(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads(name));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    private static ThreadFactory threads(String name) {
        // daemon: a thread stuck in a hung NFS write must not keep the process alive after shutdown
        return new DaemonThreadFactory(name);
    }
}
