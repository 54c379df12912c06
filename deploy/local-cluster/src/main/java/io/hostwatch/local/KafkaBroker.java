package io.hostwatch.local;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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

    /**
     * @param dataDir        broker storage and logs; formatted on first start, reused afterwards
     * @param host           address to listen on and advertise: 127.0.0.1, or an address that test hosts in
     *                       network namespaces can reach
     * @param port           client port, 0 for a free one
     * @param controllerPort KRaft controller port (always on 127.0.0.1), 0 for a free one
     * @param heap           -Xmx of the broker JVM, e.g. "768m"
     * @param extraConfig    broker properties that override the defaults
     */
    public record Settings(
            Path dataDir, String host, int port, int controllerPort, String heap, Map<String, String> extraConfig) {
        public Settings {
            dataDir = dataDir.toAbsolutePath();
            port = FreePorts.orFree(port);
            controllerPort = FreePorts.orFree(controllerPort);
            extraConfig = Map.copyOf(extraConfig);
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

    private KafkaBroker(Settings settings, ManagedProcess process) {
        this.settings = settings;
        this.process = process;
    }

    /** Formats the storage if needed, starts the broker and returns once it answers metadata requests. */
    public static KafkaBroker start(Settings settings) throws IOException, InterruptedException {
        BuildLayout layout = BuildLayout.load();
        Path dataDir = settings.dataDir();
        Files.createDirectories(dataDir);
        Path config = writeServerProperties(settings);
        Path log4j = writeLog4jConfig(dataDir);
        String classpath = layout.brokerClasspathWithGuard();
        if (!Files.exists(dataDir.resolve("kraft-logs/meta.properties"))) {
            ManagedProcess.runToCompletion(
                    "kafka-storage-format",
                    javaCommand(
                            classpath,
                            settings.heap(),
                            log4j,
                            "kafka.tools.StorageTool",
                            "format",
                            "--standalone",
                            "--ignore-formatted",
                            "-t",
                            UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                            "-c",
                            config.toString()),
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
        KafkaBroker broker = new KafkaBroker(settings, process);
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

    private static Path writeServerProperties(Settings settings) throws IOException {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put(
                "listeners",
                "PLAINTEXT://" + settings.host() + ":" + settings.port() + ",CONTROLLER://127.0.0.1:"
                        + settings.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://" + settings.host() + ":" + settings.port());
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
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
