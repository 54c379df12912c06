package io.hostwatch.testkit;

import io.hostwatch.local.BrokerSecurity;
import io.hostwatch.local.KafkaBroker;
import io.hostwatch.local.SchemaRegistry;
import io.hostwatch.local.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The real broker (and, on first use, the real schema registry) shared by every integration test of one JVM.
 * Tests isolate themselves with {@link #newTopicPrefix()}.
 */
public final class TestCluster implements AutoCloseable {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final Path workDir;
    private KafkaBroker broker;
    private SchemaRegistry registry;
    private Admin admin;

    private TestCluster(Path workDir, KafkaBroker broker) {
        this.workDir = workDir;
        this.broker = broker;
    }

    static TestCluster start() {
        return start(false);
    }

    /**
     * @param secured SASL_SSL listener with SCRAM-SHA-512, TLS certificates made at start-up and the
     *                StandardAuthorizer (deny unless an ACL allows); {@link #admin()} is the super user
     */
    static TestCluster start(boolean secured) {
        Path workDir = Path.of(
                        "target",
                        "test-cluster-" + (secured ? "secured-" : "")
                                + ProcessHandle.current().pid())
                .toAbsolutePath();
        try {
            deleteRecursively(workDir);
            KafkaBroker.Settings settings = KafkaBroker.Settings.defaults(workDir.resolve("kafka"));
            if (secured) {
                settings = settings.secured(BrokerSecurity.generate());
            }
            return new TestCluster(workDir, KafkaBroker.start(settings));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The Confluent-compatible registry URL; the registry is started on the first call. */
    public synchronized String registryUrl() {
        if (registry == null) {
            try {
                registry = SchemaRegistry.start(SchemaRegistry.Settings.defaults(workDir.resolve("registry")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return registry.url();
    }

    /** A topic prefix no other test of this JVM uses, e.g. {@code t3-1a2b.hostwatch.}. */
    public String newTopicPrefix() {
        return String.format(
                Locale.ROOT,
                "t%d-%s.hostwatch.",
                PREFIXES.incrementAndGet(),
                UUID.randomUUID().toString().substring(0, 4));
    }

    /** A shared admin client (the super user on a secured broker); do not close it. */
    public synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.putAll(broker.adminClientProperties());
            admin = Admin.create(props);
        }
        return admin;
    }

    /** Whether the broker has a SASL_SSL listener and ACLs. */
    public boolean secured() {
        return broker.certificates().isPresent();
    }

    /** The test CA and the stores a secured broker made; fails on a plaintext broker. */
    public TestCertificates certificates() {
        return broker.certificates().orElseThrow(() -> new IllegalStateException("the broker is not secured"));
    }

    /**
     * Creates SCRAM user {@code user} with a fresh random password (secured broker) and returns the client settings
     * (bootstrap.servers, security.protocol, sasl.*, ssl.truststore.*; Java client names) that log in as it.
     */
    public Map<String, String> createUser(String user) {
        String password = BrokerSecurity.randomSecret();
        try {
            broker.createScramUser(admin(), user, password);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create SCRAM user " + user, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, String> props = new HashMap<>(broker.clientProperties(user, password));
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Map.copyOf(props);
    }

    /** The broker process, for tests that crash or restart it. */
    public KafkaBroker broker() {
        return broker;
    }

    /** Kills the broker (SIGKILL) and starts it again on the same ports and data. */
    public synchronized void restartBroker() {
        try {
            broker.kill();
            broker = KafkaBroker.start(broker.settings());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (admin != null) {
                admin.close();
            }
            if (registry != null) {
                registry.close();
            }
        } finally {
            broker.close();
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
