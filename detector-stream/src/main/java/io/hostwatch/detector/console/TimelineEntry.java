package io.hostwatch.detector.console;

import java.util.List;

/** One published transition of a host, as on {@code host-state-history}. Times are broker time (epoch ms). */
public record TimelineEntry(
        String state, String reason, List<String> conditions, String previousState, long since, long observedAt) {
    public TimelineEntry {
        conditions = List.copyOf(conditions);
    }
}
