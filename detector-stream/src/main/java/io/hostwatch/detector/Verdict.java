package io.hostwatch.detector;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.util.EnumSet;
import java.util.Set;

/**
 * The detector's published opinion of a host: what {@code hostwatch.host-states} last said.
 *
 * @param since         stream time the host entered {@code state}
 * @param observedAt    stream time of the event that produced this verdict
 * @param previousState state before the last transition; null before the first one
 */
public record Verdict(
        HostStatus state,
        StateReason reason,
        Set<HostCondition> conditions,
        long since,
        long observedAt,
        HostStatus previousState) {
    public Verdict {
        conditions = conditions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(conditions));
    }

    /** Same state, reason and conditions: publishing it again would tell nova nothing new. */
    public boolean sameAs(HostStatus otherState, StateReason otherReason, Set<HostCondition> otherConditions) {
        return state == otherState && reason == otherReason && conditions.equals(otherConditions);
    }

    /** Verdicts nova may act on by evacuating the host (HostState doc); the ones the guard and quorum hold back. */
    public static boolean allowsEvacuation(HostStatus state) {
        return state == HostStatus.DEAD || state == HostStatus.ISOLATED;
    }
}
