package io.hostwatch.serde;

/** The registry answered that it has no schema with the requested id (Confluent error code 40403). */
public class SchemaNotFoundException extends SchemaRegistryException {
    public SchemaNotFoundException(int id) {
        super("Schema registry has no schema with id " + id);
    }
}
