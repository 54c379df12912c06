package io.hostwatch.detector.replay;

import io.hostwatch.detector.DetectorProcessors;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.StateReason;

/**
 * The rule behind a published verdict, as data: for a probe verdict the row of contract section 1's table that the
 * classifier picks from the evidence the HostState carries, otherwise the state machine's own step.
 */
final class VerdictRules {
    private VerdictRules() {}

    static String of(HostState s) {
        StateReason reason = s.getReason();
        switch (reason) {
            case HARDWARE_FAILURE_OR_SHUTDOWN:
            case SERVICE_PROCESS_CRASHED:
            case NETWORK_UNREACHABLE:
            case HEARTBEAT_PATH_BROKEN:
            case PROBE_INCONCLUSIVE:
                return probeRule(s);
            case MASS_FAILURE_SUSPECTED:
                return "GUARD_HOLDING(" + probeRule(s) + ")";
            case PROBE_TIMEOUT:
                return "NO_ANSWER_AFTER_ALL_ATTEMPTS";
            default:
                return "HEARTBEAT_" + reason.name();
        }
    }

    private static String probeRule(HostState s) {
        return DetectorProcessors.probeRule(
                        s.getEvidence().getPing(), s.getEvidence().getStorage())
                .name();
    }
}
