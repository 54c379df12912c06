package io.hostwatch.prober;

import io.hostwatch.auth.AuthMode;
import io.hostwatch.auth.Verifier;
import io.hostwatch.storage.StorageHeartbeat;
import java.util.List;
import java.util.Optional;

/**
 * {@code storage.authentication}: which storage heartbeat files the prober believes. A file whose authenticator
 * does not verify is storage {@code ERROR} (inconclusive), never {@code FRESH} or {@code STALE}: another host that
 * can write the share could otherwise make a live host look {@code DEAD}, or a dead one alive.
 */
record StorageAuth(AuthMode mode, Verifier verifier) {
    static final StorageAuth OFF = new StorageAuth(AuthMode.OFF, new Verifier(List.of()));

    /** Why the file is not to be believed, or empty if it is. */
    Optional<String> refusal(StorageHeartbeat file) {
        if (mode == AuthMode.OFF) {
            return Optional.empty();
        }
        switch (verifier.verify(file)) {
            case VALID:
                return Optional.empty();
            case UNAUTHENTICATED:
                return mode == AuthMode.REQUIRED
                        ? Optional.of("no authenticator (storage.authentication=required)")
                        : Optional.empty();
            case UNKNOWN_KEY_ID:
                return Optional.of("key id '" + file.keyId() + "' is not one of " + verifier.keyIds());
            default:
                return Optional.of("authenticator does not verify for host " + file.host());
        }
    }
}
