package io.hostwatch.quickstart;

import io.hostwatch.local.KafkaBroker;
import io.hostwatch.local.LocalCluster;
import io.hostwatch.local.ManagedProcess;
import io.hostwatch.local.SchemaRegistry;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.netns.TestNetwork;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on this machine: broker, registry, topics, detector, prober and compute hosts, each its own
 * process. Hosts are network namespaces with real agents when this machine allows it (root, iproute2), else one
 * agent process simulating them on loopback.
 */
final class LocalPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

    /** How to run: ports (0 = free), partitions, timing, hosts, and whether namespaces may be used. */
    record Settings(
            Path workDir,
            int brokerPort,
            int registryPort,
            int partitions,
            Profile profile,
            List<HostSpec> hosts,
            boolean namespacesAllowed) {}

    private final Settings settings;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, NamespaceHost> namespaceHosts = new LinkedHashMap<>();
    private LocalCluster cluster;
    private Endpoints endpoints;
    private CentralServices services;
    private HostStateBoard board;
    private ManagedProcess simulatedAgents;
    private String modeDescription;
    private Path proberStorage;

    private LocalPipeline(Settings settings) {
        this.settings = settings;
    }

    static LocalPipeline start(Settings settings) throws IOException, InterruptedException {
        LocalPipeline pipeline = new LocalPipeline(settings);
        try {
            pipeline.startAll();
            return pipeline;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        Path workDir = settings.workDir().toAbsolutePath();
        ComponentLauncher launcher = new ComponentLauncher(workDir);
        Path storageRoot = workDir.resolve("shared-storage");
        // as an operator prepares the NFS export: the prober refuses a root without hostwatch/ (not mounted?)
        Files.createDirectories(storageRoot.resolve(StorageHeartbeat.DIRECTORY));
        Optional<String> noNamespaces =
                settings.namespacesAllowed() ? TestNetwork.unavailableReason() : Optional.of("disabled");
        TestNetwork network = null;
        String serviceHost = "127.0.0.1";
        if (noNamespaces.isEmpty()) {
            network = TestNetwork.create();
            closeables.add(network);
            serviceHost = network.serviceAddress();
        }
        startCluster(workDir, serviceHost);
        Topics topics = Topics.create(
                new TopicLayout(TopicLayout.DEFAULT_PREFIX, settings.partitions()),
                SchemaRegistryClients.forUrl(cluster.registryUrl()));
        board = new HostStateBoard(cluster.bootstrapServers(), topics.hostStates());
        // the probers see the share through their own "mount point", so it can vanish for them alone
        proberStorage = workDir.resolve("prober-storage");
        Files.createSymbolicLink(proberStorage, storageRoot);
        QuickStartKeys keys = QuickStartKeys.create(workDir);
        // simulated hosts answer on 127.x.y.z; namespace hosts on the test network
        String allowedNetworks =
                network == null ? "127.0.0.0/8" : network.subnet().toString();
        services = CentralServices.start(
                launcher,
                endpoints,
                settings.profile(),
                proberStorage,
                keys.detectorConfig(),
                keys.proberConfig(allowedNetworks));
        Map<String, String> agentConfig = new HashMap<>(endpoints.clusterConfig());
        agentConfig.putAll(settings.profile().agent());
        agentConfig.put(
                "isolation.timeout.ms", Integer.toString(2 * settings.profile().heartbeatTimeoutMs()));
        agentConfig.put(
                "service.down.grace.ms", Integer.toString(2 * settings.profile().heartbeatIntervalMs()));
        if (network != null) {
            for (HostSpec spec : settings.hosts()) {
                Map<String, String> hostConfig = new HashMap<>(agentConfig);
                hostConfig.put("auth.key.file", keys.hostKey(spec.id()).toString());
                NamespaceHost host =
                        new NamespaceHost(spec, network.addHost(spec.id()), launcher, hostConfig, storageRoot);
                namespaceHosts.put(spec.id(), host);
                host.start();
            }
            modeDescription = settings.hosts().size() + " test hosts in network namespaces (" + network.subnet()
                    + "), one real member-agent each";
        } else {
            // a load-test shortcut only a simulation may take: the agent derives each virtual host's key
            Map<String, String> simulatedConfig = new HashMap<>(agentConfig);
            simulatedConfig.put("auth.key.file", keys.masterFile().toString());
            simulatedAgents = startSimulatedAgents(launcher, simulatedConfig, storageRoot);
            modeDescription = settings.hosts().size() + " simulated hosts in one member-agent process on loopback ("
                    + "network namespaces unavailable: " + noNamespaces.get() + "; faults need them)";
        }
        LOG.info("Pipeline up: {}", modeDescription);
    }

    private void startCluster(Path workDir, String host) throws IOException, InterruptedException {
        cluster = LocalCluster.start(
                new KafkaBroker.Settings(workDir.resolve("kafka"), host, settings.brokerPort(), 0, "768m", Map.of()),
                new SchemaRegistry.Settings(workDir.resolve("registry"), host, settings.registryPort(), 0));
        endpoints = new Endpoints(cluster.bootstrapServers(), cluster.registryUrl(), settings.partitions());
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(60))
                    .ensure(new TopicLayout(TopicLayout.DEFAULT_PREFIX, settings.partitions()).specs());
        }
    }

    private ManagedProcess startSimulatedAgents(
            ComponentLauncher launcher, Map<String, String> agentConfig, Path storageRoot) throws IOException {
        Map<String, String> config = new HashMap<>(agentConfig);
        config.put("storage.root", storageRoot.toString());
        Path file = launcher.writeConfig("agents-simulated", config);
        return ManagedProcess.start(
                "member-agent-simulated",
                launcher.command(
                        ComponentLauncher.SERVICE_JVM,
                        ComponentLauncher.AGENT_MAIN,
                        List.of(
                                "run",
                                "--config",
                                file.toString(),
                                "--simulate",
                                Integer.toString(settings.hosts().size()),
                                "--simulate-prefix",
                                "sim-")),
                launcher.workDir(),
                launcher.workDir().resolve("logs/agents-simulated.log"),
                Map.of());
    }

    Endpoints endpoints() {
        return endpoints;
    }

    HostStateBoard board() {
        return board;
    }

    CentralServices services() {
        return services;
    }

    String modeDescription() {
        return modeDescription;
    }

    boolean hasNamespaceHosts() {
        return !namespaceHosts.isEmpty();
    }

    NamespaceHost host(String id) {
        NamespaceHost host = namespaceHosts.get(id);
        if (host == null) {
            throw new IllegalArgumentException("no test host " + id + " (hosts: " + namespaceHosts.keySet() + ")");
        }
        return host;
    }

    List<NamespaceHost> hosts() {
        return List.copyOf(namespaceHosts.values());
    }

    int brokerPort() {
        return cluster.broker().settings().port();
    }

    /** Kills the broker (SIGKILL) and starts it again on the same port and data, as a broker crash would. */
    void crashAndRestartBroker() throws IOException, InterruptedException {
        cluster.crashAndRestartBroker();
    }

    /**
     * The shared storage disappears for the probers only, as when their NFS share is unmounted: their mount point is
     * swapped (atomically) for an empty directory. They run as root here, so a {@code chmod} would not stop them.
     * The agents go on writing to the share.
     */
    void unmountProberStorage() throws IOException {
        Path emptyMountPoint = settings.workDir().toAbsolutePath().resolve("empty-mount-point");
        Files.createDirectories(emptyMountPoint);
        pointProberStorageAt(emptyMountPoint);
    }

    /** Undoes {@link #unmountProberStorage()}. */
    void mountProberStorage() throws IOException {
        pointProberStorageAt(settings.workDir().toAbsolutePath().resolve("shared-storage"));
    }

    private void pointProberStorageAt(Path target) throws IOException {
        Path swap = proberStorage.resolveSibling(proberStorage.getFileName() + ".swap");
        Files.deleteIfExists(swap);
        Files.createSymbolicLink(swap, target);
        Files.move(swap, proberStorage, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    Path workDir() {
        return settings.workDir();
    }

    /** What the detector and the host's agent said last, and the board's last error: for failure messages. */
    String diagnosis(String hostId) {
        Path logs = settings.workDir().toAbsolutePath().resolve("logs");
        StringBuilder text = new StringBuilder();
        board.failure()
                .ifPresent(e ->
                        text.append("host-state board's last error: ").append(e).append('\n'));
        text.append("last lines of ")
                .append(logs.resolve("detector.log"))
                .append(":\n")
                .append(ManagedProcess.tail(logs.resolve("detector.log"), 15));
        NamespaceHost host = namespaceHosts.get(hostId);
        Path agentLog = host != null ? host.logFile() : logs.resolve("agents-simulated.log");
        text.append("\nlast lines of ").append(agentLog).append(":\n").append(ManagedProcess.tail(agentLog, 15));
        return text.toString();
    }

    @Override
    public void close() {
        namespaceHosts.values().forEach(NamespaceHost::stop);
        if (simulatedAgents != null) {
            simulatedAgents.close();
        }
        closeQuietly(services);
        closeQuietly(board);
        closeQuietly(cluster);
        for (AutoCloseable closeable : closeables) {
            closeQuietly(closeable);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Error while stopping {}: {}", closeable, e.toString());
        }
    }
}
