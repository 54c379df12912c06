package io.hostwatch.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A broker and a schema registry on this machine: what the quick start and the integration tests run on. */
public final class LocalCluster implements AutoCloseable {
    private KafkaBroker broker;
    private final SchemaRegistry registry;

    private LocalCluster(KafkaBroker broker, SchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /** Starts both at once: the registry's ~10 s start-up overlaps the broker's. */
    public static LocalCluster start(KafkaBroker.Settings brokerSettings, SchemaRegistry.Settings registrySettings)
            throws IOException, InterruptedException {
        CompletableFuture<SchemaRegistry> registry = CompletableFuture.supplyAsync(() -> {
            try {
                return SchemaRegistry.start(registrySettings);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted starting the schema registry", e);
            }
        });
        KafkaBroker broker;
        try {
            broker = KafkaBroker.start(brokerSettings);
        } catch (IOException | InterruptedException | RuntimeException e) {
            registry.thenAccept(SchemaRegistry::close);
            throw e;
        }
        try {
            return new LocalCluster(broker, registry.join());
        } catch (CompletionException e) {
            broker.close();
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    public static LocalCluster start(Path workDir) throws IOException, InterruptedException {
        return start(
                KafkaBroker.Settings.defaults(workDir.resolve("kafka")),
                SchemaRegistry.Settings.defaults(workDir.resolve("registry")));
    }

    public synchronized KafkaBroker broker() {
        return broker;
    }

    /** Kills the broker (SIGKILL), as a crash would, and starts it again on the same ports and data. */
    public synchronized void crashAndRestartBroker() throws IOException, InterruptedException {
        broker.kill();
        broker = KafkaBroker.start(broker.settings());
    }

    public SchemaRegistry registry() {
        return registry;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker().close();
        }
    }
}
