package io.hostwatch.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches both directions: schemas are immutable once registered, so after the first record of each subject and
 * id the hot path makes no HTTP call.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    private record SubjectSchema(String subject, Schema schema) {}

    private final SchemaRegistryClient delegate;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        return ids.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            int id = delegate.register(key.subject(), key.schema());
            schemas.putIfAbsent(id, key.schema());
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        return schemas.computeIfAbsent(id, delegate::schemaById);
    }
}
