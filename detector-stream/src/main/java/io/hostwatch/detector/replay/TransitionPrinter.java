package io.hostwatch.detector.replay;

import io.hostwatch.detector.DomainStatus;
import io.hostwatch.detector.HostStateJson;
import io.hostwatch.schema.HostState;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints each transition as it is replayed: a table row, or the query API's HostState JSON on one line. */
final class TransitionPrinter implements ReplayObserver {
    private final PrintWriter out;
    private final boolean json;
    private long transitions;

    TransitionPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void transition(HostState s, DomainStatus guard) {
        transitions++;
        if (json) {
            out.println(HostStateJson.toJson(s));
            return;
        }
        out.printf(
                Locale.ROOT,
                "%-24s %-24s %-20s -> %-20s %-28s %s%n",
                s.getObservedAt(),
                s.getHost(),
                s.getPreviousState() == null ? "-" : s.getPreviousState(),
                s.getState(),
                s.getReason(),
                s.getConditions().stream().map(Enum::name).collect(Collectors.joining(",")));
    }

    long transitions() {
        return transitions;
    }
}
