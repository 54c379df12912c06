package io.hostwatch.serde;

import org.apache.avro.Schema;

/** The two calls of the Confluent Schema Registry API the serde needs. Implementations are thread-safe. */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with global id {@code id}; throws {@link SchemaNotFoundException} if the registry has none. */
    Schema schemaById(int id);
}
