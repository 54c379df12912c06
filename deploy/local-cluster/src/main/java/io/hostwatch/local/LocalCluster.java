package io.hostwatch.local;

import java.io.IOException;
import java.nio.file.Path;

/** A broker and a schema registry on this machine: what the quick start and the integration tests run on. */
public final class LocalCluster implements AutoCloseable {
    private final KafkaBroker broker;
    private final SchemaRegistry registry;

    private LocalCluster(KafkaBroker broker, SchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    public static LocalCluster start(KafkaBroker.Settings brokerSettings, SchemaRegistry.Settings registrySettings)
            throws IOException, InterruptedException {
        KafkaBroker broker = KafkaBroker.start(brokerSettings);
        try {
            return new LocalCluster(broker, SchemaRegistry.start(registrySettings));
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public static LocalCluster start(Path workDir) throws IOException, InterruptedException {
        return start(KafkaBroker.Settings.defaults(workDir.resolve("kafka")),
                SchemaRegistry.Settings.defaults(workDir.resolve("registry")));
    }

    public KafkaBroker broker() {
        return broker;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
