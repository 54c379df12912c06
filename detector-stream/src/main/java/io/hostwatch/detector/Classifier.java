package io.hostwatch.detector;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * contract section 1's table for a silent host: combines the probers' answers and names state and reason.
 *
 * <p>Combination is biased towards "alive", so that no single vantage point can make a host DEAD: ping OK from any
 * prober wins, then FAILED (only a prober whose self-check passed says FAILED), else ERROR. Storage FRESH from any
 * prober wins, then STALE, then MISSING, else ERROR. MISSING is not evidence of a stopped host (the file may never
 * have existed, e.g. storage heartbeats disabled), so it is inconclusive like ERROR: DEAD needs positive evidence
 * from both probes.
 */
final class Classifier {
    private Classifier() {}

    /** The combined evidence: a representative outcome of each kind and the probers whose answers were used. */
    record Combined(PingOutcome ping, StorageOutcome storage, List<String> probers) {}

    /** A verdict without its timing. */
    record Classification(HostStatus state, StateReason reason, Set<HostCondition> conditions) {}

    static Combined combine(List<ProberEvidence> evidence) {
        if (evidence.isEmpty()) {
            return new Combined(null, null, List.of());
        }
        List<ProberEvidence> sorted = new ArrayList<>(evidence);
        sorted.sort(Comparator.comparing(ProberEvidence::prober));
        PingOutcome ping = null;
        StorageOutcome storage = null;
        for (ProberEvidence e : sorted) {
            if (ping == null || pingRank(e.ping().getStatus()) < pingRank(ping.getStatus())) {
                ping = e.ping();
            }
            if (storage == null || storageRank(e.storage().getStatus()) < storageRank(storage.getStatus())) {
                storage = e.storage();
            }
        }
        boolean selfIsolated = sorted.stream().anyMatch(e -> e.storage().getSelfIsolated());
        if (selfIsolated && !storage.getSelfIsolated()) {
            storage = StorageOutcome.newBuilder(storage).setSelfIsolated(true).build();
        }
        return new Combined(
                ping, storage, sorted.stream().map(ProberEvidence::prober).toList());
    }

    static Classification classify(Combined combined) {
        if (combined.ping() == null || combined.storage() == null) {
            return new Classification(HostStatus.UNKNOWN, StateReason.PROBE_INCONCLUSIVE, Set.of());
        }
        PingStatus ping = combined.ping().getStatus();
        StorageStatus storage = combined.storage().getStatus();
        if (ping == PingStatus.ERROR || storage == StorageStatus.ERROR || storage == StorageStatus.MISSING) {
            return new Classification(HostStatus.UNKNOWN, StateReason.PROBE_INCONCLUSIVE, Set.of());
        }
        boolean reachable = ping == PingStatus.OK;
        boolean writing = storage == StorageStatus.FRESH;
        if (!reachable && !writing) {
            return new Classification(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN, Set.of());
        }
        if (reachable && !writing) {
            return new Classification(HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED, Set.of());
        }
        if (!reachable) {
            return new Classification(
                    HostStatus.ISOLATED,
                    StateReason.NETWORK_UNREACHABLE,
                    combined.storage().getSelfIsolated() ? Set.of(HostCondition.SELF_ISOLATION_CONFIRMED) : Set.of());
        }
        return new Classification(HostStatus.PARTITIONED, StateReason.HEARTBEAT_PATH_BROKEN, Set.of());
    }

    private static int pingRank(PingStatus status) {
        switch (status) {
            case OK:
                return 0;
            case FAILED:
                return 1;
            default:
                return 2;
        }
    }

    private static int storageRank(StorageStatus status) {
        switch (status) {
            case FRESH:
                return 0;
            case STALE:
                return 1;
            case MISSING:
                return 2;
            default:
                return 3;
        }
    }
}
