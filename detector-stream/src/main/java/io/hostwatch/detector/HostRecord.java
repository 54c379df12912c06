package io.hostwatch.detector;

import io.hostwatch.schema.ServiceStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the detector keeps about one host, the value of store {@code detector-hosts}. Mutable on purpose: the
 * hot path decodes it, changes a few fields and encodes it again, once per heartbeat, and nothing else holds it.
 * Timestamps are stream time (broker LogAppendTime), -1 when unset.
 */
final class HostRecord {
    static final long UNSET = -1;

    // from the last heartbeat
    String address = "";
    String agentInstance = "";
    String failureDomain;
    long lastHeartbeatAt = UNSET;
    /** Sequence and agent clock of the last heartbeat applied, for replay checks; UNSET before version 2 state. */
    long heartbeatSequence = UNSET;

    long heartbeatSentAt = UNSET;
    long storageSequence = -1;
    boolean storageWriteOk = true;
    ServiceStatus serviceStatus = ServiceStatus.OK;

    // the current silence, if any
    Phase phase = Phase.WATCHING;
    /** Attempt of the last probe request sent in this silence (1-based; 0 when none). */
    int attempt;
    /** First attempt of the current probe round (a round is re-opened for UNKNOWN and released hosts). */
    int roundStartAttempt;
    /** Stream time the silence was detected. */
    long silentSince = UNSET;
    /** Stream time the last probe request was sent. */
    long lastProbeAt = UNSET;
    /** Stream time of the first result of the current round. */
    long firstResultAt = UNSET;

    final List<ProberEvidence> evidence = new ArrayList<>(2);

    /** What was last published; null until the first heartbeat is processed. */
    Verdict verdict;

    /** How this host is counted for the mass-failure guard, and under which domain. */
    GuardCount guardCount = GuardCount.NONE;

    String guardDomain;

    /** When the state machine wants to be woken up for this host; UNSET for never. */
    long timerAt = UNSET;

    /** The failure domain of the heartbeats, with the default for agents that name none. */
    String domain() {
        return failureDomain == null ? DomainGuard.DEFAULT_DOMAIN : failureDomain;
    }

    boolean silent() {
        return phase != Phase.WATCHING;
    }
}
