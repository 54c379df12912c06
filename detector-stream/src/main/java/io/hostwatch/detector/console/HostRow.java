package io.hostwatch.detector.console;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One line of the console's host table: the published verdict of a host and when it last heartbeated. Times are
 * epoch milliseconds (broker time), -1 when unknown.
 */
public record HostRow(
        String host,
        String state,
        String reason,
        List<String> conditions,
        String domain,
        long since,
        long lastHeartbeatAt) {
    /** The state filter's name for RUNNING hosts with a condition (e.g. STORAGE_DEGRADED). */
    public static final String DEGRADED = "DEGRADED";

    /** Worst first: an operator reads the table top-down at 3 am. */
    private static final Map<String, Integer> SEVERITY =
            Map.of("DEAD", 0, "ISOLATED", 1, "PARTITIONED", 2, "SERVICE_UNREACHABLE", 3, "UNKNOWN", 4, DEGRADED, 5);

    /** Hosts that are not RUNNING first (worst first), then degraded ones, then by host name. */
    public static final Comparator<HostRow> ORDER =
            Comparator.comparingInt(HostRow::severity).thenComparing(HostRow::host);

    public HostRow {
        conditions = List.copyOf(conditions);
    }

    public boolean degraded() {
        return "RUNNING".equals(state) && !conditions.isEmpty();
    }

    public boolean running() {
        return "RUNNING".equals(state);
    }

    int severity() {
        return SEVERITY.getOrDefault(degraded() ? DEGRADED : state, 6);
    }
}
