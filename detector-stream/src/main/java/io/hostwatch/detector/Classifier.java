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
        VerdictRule rule = rule(combined);
        boolean selfIsolated = rule == VerdictRule.PING_FAILED_STORAGE_FRESH
                && combined.storage().getSelfIsolated();
        return new Classification(
                rule.state(), rule.reason(), selfIsolated ? Set.of(HostCondition.SELF_ISOLATION_CONFIRMED) : Set.of());
    }

    /** The row of the table the combined evidence falls in: replay shows it next to each verdict. */
    static VerdictRule rule(Combined combined) {
        if (combined.ping() == null || combined.storage() == null) {
            return VerdictRule.NO_ANSWER;
        }
        PingStatus ping = combined.ping().getStatus();
        StorageStatus storage = combined.storage().getStatus();
        if (ping == PingStatus.ERROR || storage == StorageStatus.ERROR || storage == StorageStatus.MISSING) {
            return VerdictRule.INCONCLUSIVE_ANSWER;
        }
        boolean reachable = ping == PingStatus.OK;
        boolean writing = storage == StorageStatus.FRESH;
        if (!reachable && !writing) {
            return VerdictRule.PING_FAILED_STORAGE_STALE;
        }
        if (reachable && !writing) {
            return VerdictRule.PING_OK_STORAGE_STALE;
        }
        return reachable ? VerdictRule.PING_OK_STORAGE_FRESH : VerdictRule.PING_FAILED_STORAGE_FRESH;
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
