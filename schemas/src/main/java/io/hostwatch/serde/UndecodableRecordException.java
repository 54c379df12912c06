package io.hostwatch.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes are not a hostwatch message: wrong magic byte, too short, unknown schema id or Avro that does
 * not parse. The record itself is bad, so callers send it to the dead-letter topic and go on with the next one.
 * Registry outages are not this exception: they are retried, because the record may be fine.
 */
public class UndecodableRecordException extends SerializationException {
    public UndecodableRecordException(String message) {
        super(message);
    }

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
