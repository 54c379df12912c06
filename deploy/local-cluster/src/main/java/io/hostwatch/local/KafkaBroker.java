package io.hostwatch.local;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker in KRaft combined mode, run as its own JVM from the Maven Central jars
 * ({@code org.apache.kafka:kafka_2.13}), listening on 127.0.0.1 only.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String LOOPBACK = "127.0.0.1";

    private final Settings settings;
    private final ManagedProcess process;
    private final Optional<TestCertificates> certificates;

    /**
     * @param dataDir        broker storage and logs; formatted on first start, reused afterwards
     * @param host           address to listen on and advertise: 127.0.0.1, or an address that test hosts in
     *                       network namespaces can reach
     * @param port           client port, 0 for a free one
     * @param controllerPort KRaft controller port (always on 127.0.0.1), 0 for a free one
     * @param heap           -Xmx of the broker JVM, e.g. "768m"
     * @param extraConfig    broker properties that override the defaults
     * @param security       empty: one PLAINTEXT listener, no authorizer (the quick start); else SASL_SSL + ACLs
     */
    public record Settings(
            Path dataDir,
            String host,
            int port,
            int controllerPort,
            String heap,
            Map<String, String> extraConfig,
            Optional<BrokerSecurity> security) {
        public Settings {
            dataDir = dataDir.toAbsolutePath();
            port = FreePorts.orFree(port);
            controllerPort = FreePorts.orFree(controllerPort);
            extraConfig = Map.copyOf(extraConfig);
        }

        public Settings(
                Path dataDir, String host, int port, int controllerPort, String heap, Map<String, String> extraConfig) {
            this(dataDir, host, port, controllerPort, heap, extraConfig, Optional.empty());
        }

        /** The same broker with a SASL_SSL listener and the StandardAuthorizer. */
        public Settings secured(BrokerSecurity brokerSecurity) {
            return new Settings(dataDir, host, port, controllerPort, heap, extraConfig, Optional.of(brokerSecurity));
        }

        Path tlsDir() {
            return dataDir.resolve("tls");
        }

        public Settings(Path dataDir, int port, int controllerPort, String heap, Map<String, String> extraConfig) {
            this(dataDir, LOOPBACK, port, controllerPort, heap, extraConfig);
        }

        public static Settings defaults(Path dataDir) {
            return new Settings(dataDir, LOOPBACK, 0, 0, "768m", Map.of());
        }

        public String bootstrapServers() {
            return host + ":" + port;
        }
    }

    private KafkaBroker(Settings settings, ManagedProcess process, Optional<TestCertificates> certificates) {
        this.settings = settings;
        this.process = process;
        this.certificates = certificates;
    }

    /** Formats the storage if needed, starts the broker and returns once it answers metadata requests. */
    public static KafkaBroker start(Settings settings) throws IOException, InterruptedException {
        BuildLayout layout = BuildLayout.load();
        Path dataDir = settings.dataDir();
        Files.createDirectories(dataDir);
        Optional<TestCertificates> certificates = Optional.empty();
        if (settings.security().isPresent()) {
            certificates = Optional.of(TestCertificates.createOrReuse(
                    settings.tlsDir(), settings.security().get().adminPassword(), settings.host()));
        }
        Path config = writeServerProperties(settings, certificates);
        Path log4j = writeLog4jConfig(dataDir);
        String classpath = layout.brokerClasspathWithGuard();
        if (!Files.exists(dataDir.resolve("kraft-logs/meta.properties"))) {
            List<String> format = new ArrayList<>(List.of(
                    "format",
                    "--standalone",
                    "--ignore-formatted",
                    "-t",
                    UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                    "-c",
                    config.toString()));
            // the super user must exist before the broker starts: it is the broker's own inter-broker identity
            settings.security()
                    .ifPresent(security -> format.addAll(List.of(
                            "--add-scram",
                            BrokerSecurity.MECHANISM + "=[name=" + security.adminUser() + ",password="
                                    + security.adminPassword() + "]")));
            ManagedProcess.runToCompletion(
                    "kafka-storage-format",
                    javaCommand(
                            classpath,
                            settings.heap(),
                            log4j,
                            "kafka.tools.StorageTool",
                            format.toArray(String[]::new)),
                    dataDir,
                    dataDir.resolve("format.log"),
                    Duration.ofSeconds(60));
        }
        ManagedProcess process = ManagedProcess.start(
                "kafka-broker",
                javaCommand(classpath, settings.heap(), log4j, "kafka.Kafka", config.toString()),
                dataDir,
                dataDir.resolve("broker.log"),
                Map.of());
        KafkaBroker broker = new KafkaBroker(settings, process, certificates);
        try {
            broker.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker ready at {} (pid {}, data {})", settings.bootstrapServers(), process.pid(), dataDir);
        return broker;
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    public Settings settings() {
        return settings;
    }

    /** The CA and stores of a secured broker; empty for a plaintext one. */
    public Optional<TestCertificates> certificates() {
        return certificates;
    }

    /**
     * Client settings (Java names, without bootstrap servers) to connect as {@code user}: empty for a plaintext
     * broker.
     */
    public Map<String, String> clientProperties(String user, String password) {
        return certificates
                .map(tls -> BrokerSecurity.clientProperties(tls, user, password))
                .orElse(Map.of());
    }

    /** {@link #clientProperties} of the super user; empty for a plaintext broker. */
    public Map<String, String> adminClientProperties() {
        return settings.security()
                .map(security -> clientProperties(security.adminUser(), security.adminPassword()))
                .orElse(Map.of());
    }

    /** Creates or updates a SCRAM user through the Admin API (a secured broker only). */
    public void createScramUser(Admin admin, String user, String password)
            throws InterruptedException, ExecutionException {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                        user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                .all()
                .get();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the broker process at once, as a crash would; {@link #start} on the same settings restarts it. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
        LOG.info("Kafka broker at {} stopped", settings.bootstrapServers());
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        props.putAll(adminClientProperties());
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited during start-up; last lines of "
                            + process.logFile() + ":\n" + process.logTail(40));
                }
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                            .nodes()
                            .get(3, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker not ready within " + START_TIMEOUT
                                + "; last lines of " + process.logFile() + ":\n" + process.logTail(40));
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private static List<String> javaCommand(
            String classpath, String heap, Path log4j, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp",
                classpath,
                OrphanGuard.class.getName(),
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static Path writeServerProperties(Settings settings, Optional<TestCertificates> certificates)
            throws IOException {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        String listener = settings.security().isPresent() ? "SASL_SSL" : "PLAINTEXT";
        props.put(
                "listeners",
                listener + "://" + settings.host() + ":" + settings.port() + ",CONTROLLER://127.0.0.1:"
                        + settings.controllerPort());
        props.put("advertised.listeners", listener + "://" + settings.host() + ":" + settings.port());
        props.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", listener);
        if (settings.security().isPresent() && certificates.isPresent()) {
            props.putAll(securityProperties(settings.security().get(), certificates.get()));
        }
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + settings.controllerPort());
        props.put("log.dirs", settings.dataDir().resolve("kraft-logs").toString());
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "12");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "12");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(settings.extraConfig());
        Path file = settings.dataDir().resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "hostwatch local broker; written at every start");
        }
        return file;
    }

    /**
     * SCRAM-SHA-512 over TLS on the client listener, deny-by-default ACLs. The KRaft controller listener stays
     * PLAINTEXT on 127.0.0.1 (KRaft does not support SCRAM between broker and controller), so its principal
     * {@code User:ANONYMOUS} must be a super user: anyone with a shell on this machine could reach it, which is why
     * this is a test and quick-start broker, not a production recipe (production uses separate controllers with
     * mTLS or SASL/PLAIN on their listener).
     */
    private static Map<String, String> securityProperties(BrokerSecurity security, TestCertificates tls) {
        Map<String, String> props = new HashMap<>();
        props.put("sasl.enabled.mechanisms", BrokerSecurity.MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", BrokerSecurity.MECHANISM);
        props.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                BrokerSecurity.jaasConfig(security.adminUser(), security.adminPassword()));
        props.put("ssl.keystore.location", tls.brokerKeystore().toString());
        props.put("ssl.keystore.password", tls.password());
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.truststore.location", tls.truststore().toString());
        props.put("ssl.truststore.password", tls.password());
        props.put("ssl.truststore.type", "PKCS12");
        props.put("authorizer.class.name", BrokerSecurity.AUTHORIZER);
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", "User:" + security.adminUser() + ";User:ANONYMOUS");
        return props;
    }

    private static Path writeLog4jConfig(Path dataDir) throws IOException {
        Path file = dataDir.resolve("log4j2.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "status = warn",
                        "appender.console.type = Console",
                        "appender.console.name = STDOUT",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = [%d] %p %m (%c{1})%n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.stdout.ref = STDOUT",
                        "logger.kafka.name = kafka",
                        "logger.kafka.level = WARN",
                        "logger.apache.name = org.apache.kafka",
                        "logger.apache.level = WARN",
                        "logger.server.name = kafka.server.KafkaRaftServer",
                        "logger.server.level = INFO",
                        ""),
                StandardCharsets.UTF_8);
        return file;
    }
}
