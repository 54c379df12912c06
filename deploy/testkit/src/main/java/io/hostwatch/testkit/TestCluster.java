package io.hostwatch.testkit;

import io.hostwatch.local.KafkaBroker;
import io.hostwatch.local.SchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
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
        Path workDir = Path.of(
                        "target", "test-cluster-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        try {
            deleteRecursively(workDir);
            return new TestCluster(workDir, KafkaBroker.start(KafkaBroker.Settings.defaults(workDir.resolve("kafka"))));
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

    /** A shared admin client; do not close it. */
    public synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            admin = Admin.create(props);
        }
        return admin;
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
