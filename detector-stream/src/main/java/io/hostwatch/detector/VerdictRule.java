package io.hostwatch.detector;

import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;

/**
 * The rows of contract section 1's table for a silent host, as {@link Classifier} picks them from the combined
 * probe evidence. Replay names the row next to each verdict, so operators see which evidence made it.
 */
public enum VerdictRule {
    /** No prober answered with both parts yet. */
    NO_ANSWER(HostStatus.UNKNOWN, StateReason.PROBE_INCONCLUSIVE),
    /** Ping ERROR, or storage ERROR or MISSING: nothing proves the host stopped. */
    INCONCLUSIVE_ANSWER(HostStatus.UNKNOWN, StateReason.PROBE_INCONCLUSIVE),
    PING_FAILED_STORAGE_STALE(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN),
    PING_OK_STORAGE_STALE(HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED),
    PING_FAILED_STORAGE_FRESH(HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE),
    PING_OK_STORAGE_FRESH(HostStatus.PARTITIONED, StateReason.HEARTBEAT_PATH_BROKEN);

    private final HostStatus state;
    private final StateReason reason;

    VerdictRule(HostStatus state, StateReason reason) {
        this.state = state;
        this.reason = reason;
    }

    public HostStatus state() {
        return state;
    }

    public StateReason reason() {
        return reason;
    }
}
