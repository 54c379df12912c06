package io.hostwatch.detector;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A host's last {@value #CAPACITY} published transitions, oldest first: the value of store
 * {@code detector-timelines}, which the console's host detail reads. Written once per transition (rare), never per
 * heartbeat, so it costs the hot path nothing.
 */
record HostTimeline(List<Entry> entries) {
    static final int CAPACITY = 50;

    /** One transition as published; times are broker time (epoch ms). */
    record Entry(
            HostStatus state,
            StateReason reason,
            Set<HostCondition> conditions,
            HostStatus previousState,
            long since,
            long observedAt) {
        Entry {
            conditions = Set.copyOf(conditions);
        }

        static Entry of(HostState state) {
            return new Entry(
                    state.getState(),
                    state.getReason(),
                    Set.copyOf(state.getConditions()),
                    state.getPreviousState(),
                    state.getSince().toEpochMilli(),
                    state.getObservedAt().toEpochMilli());
        }
    }

    HostTimeline {
        entries = List.copyOf(entries);
    }

    /** {@code timeline} (null for none yet) with {@code entry} appended, the oldest dropped beyond the capacity. */
    static HostTimeline append(HostTimeline timeline, Entry entry) {
        List<Entry> next = new ArrayList<>(timeline == null ? List.of() : timeline.entries());
        next.add(entry);
        if (next.size() > CAPACITY) {
            next.subList(0, next.size() - CAPACITY).clear();
        }
        return new HostTimeline(next);
    }
}
