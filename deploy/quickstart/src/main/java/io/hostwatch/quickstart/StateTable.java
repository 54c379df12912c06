package io.hostwatch.quickstart;

import io.hostwatch.schema.HostState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the latest host states as the fixed-width table the demo prints. */
final class StateTable {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private StateTable() {}

    static String render(Map<String, HostState> latest) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT, "  %-12s %-20s %-30s %-26s %s%n", "HOST", "STATE", "REASON", "CONDITIONS", "SINCE (UTC)"));
        latest.forEach((host, state) -> table.append(String.format(
                Locale.ROOT,
                "  %-12s %-20s %-30s %-26s %s%n",
                host,
                state.getState(),
                state.getReason(),
                state.getConditions().isEmpty()
                        ? "-"
                        : state.getConditions().stream().map(Enum::name).collect(Collectors.joining(",")),
                TIME.format(Instant.from(state.getSince())))));
        if (latest.isEmpty()) {
            table.append("  (no host-state events yet)\n");
        }
        return table.toString();
    }
}
