package io.hostwatch.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry in this JVM's memory, for unit tests and TopologyTestDriver where no registry runs (Confluent's
 * {@code mock://} is not on Maven Central). Like Apicurio, the same schema gets the same id in every subject.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private final List<Schema> byId = new ArrayList<>();
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        return ids.computeIfAbsent(schema, s -> {
            byId.add(s);
            return byId.size();
        });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > byId.size()) {
            throw new SchemaNotFoundException(id);
        }
        return byId.get(id - 1);
    }
}
