package io.hostwatch.serde;

import org.apache.kafka.common.KafkaException;

/** The registry refused a request or could not be reached; the message says which and why. */
public class SchemaRegistryException extends KafkaException {
    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
