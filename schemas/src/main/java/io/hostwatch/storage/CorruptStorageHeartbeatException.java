package io.hostwatch.storage;

/** A storage heartbeat file exists but is not a complete heartbeat (torn write, foreign content, old format). */
public class CorruptStorageHeartbeatException extends RuntimeException {
    public CorruptStorageHeartbeatException(String message) {
        super(message);
    }
}
