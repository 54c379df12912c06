package io.hostwatch.detector;

import io.hostwatch.auth.AuthMode;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.auth.Verifier;
import java.util.List;

/**
 * How the detector authenticates heartbeats: the mode, the master key versions it accepts and how far a heartbeat's
 * {@code sentAt} may be from broker time.
 */
record HeartbeatAuth(AuthMode mode, List<MasterKey> masterKeys, long maxClockSkewMs) {
    static final HeartbeatAuth OFF = new HeartbeatAuth(AuthMode.OFF, List.of(), Long.MAX_VALUE);

    HeartbeatAuth {
        masterKeys = List.copyOf(masterKeys);
    }

    Verifier verifier() {
        return new Verifier(masterKeys);
    }
}
