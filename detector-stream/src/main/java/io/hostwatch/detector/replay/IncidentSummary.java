package io.hostwatch.detector.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostwatch.detector.DomainStatus;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A post-mortem's summary of a replay: transitions per state and reason, and per host that left RUNNING its first
 * verdict, the time from its last heartbeat to that verdict, and where it ended. Memory is per host, not per record.
 */
final class IncidentSummary implements ReplayObserver {
    /** One host's incident: its first verdict other than RUNNING and its last state. */
    record HostIncident(
            String host,
            HostStatus firstVerdict,
            String reason,
            long lastHeartbeatAt,
            long verdictAt,
            HostStatus last) {
        long timeToVerdictMs() {
            return lastHeartbeatAt < 0 ? -1 : verdictAt - lastHeartbeatAt;
        }
    }

    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, HostIncident> incidents = new TreeMap<>();
    private long transitions;

    @Override
    public void transition(HostState s, DomainStatus guard) {
        transitions++;
        counts.merge(s.getState() + " " + s.getReason(), 1L, Long::sum);
        HostIncident known = incidents.get(s.getHost());
        if (known != null) {
            incidents.put(
                    s.getHost(),
                    new HostIncident(
                            known.host(),
                            known.firstVerdict(),
                            known.reason(),
                            known.lastHeartbeatAt(),
                            known.verdictAt(),
                            s.getState()));
        } else if (s.getState() != HostStatus.RUNNING) {
            long lastHeartbeat = s.getEvidence().getLastHeartbeatAt() == null
                    ? -1
                    : s.getEvidence().getLastHeartbeatAt().toEpochMilli();
            incidents.put(
                    s.getHost(),
                    new HostIncident(
                            s.getHost(),
                            s.getState(),
                            s.getReason().name(),
                            lastHeartbeat,
                            s.getObservedAt().toEpochMilli(),
                            s.getState()));
        }
    }

    void print(PrintWriter out, boolean json) {
        if (json) {
            ObjectNode node = ReplayJson.object();
            node.put("transitions", transitions);
            ObjectNode byState = node.putObject("counts");
            counts.forEach(byState::put);
            ArrayNode hosts = node.putArray("hosts");
            for (HostIncident i : incidents.values()) {
                ObjectNode h = hosts.addObject();
                h.put("host", i.host());
                h.put("firstVerdict", i.firstVerdict().name());
                h.put("reason", i.reason());
                h.put("verdictAt", ReplayJson.iso(i.verdictAt()));
                h.put("timeToVerdictMs", i.timeToVerdictMs());
                h.put("lastState", i.last().name());
            }
            out.println(ReplayJson.write(node));
            return;
        }
        out.printf(Locale.ROOT, "%d transitions%n%nstate / reason%n", transitions);
        counts.forEach((key, count) -> out.printf(Locale.ROOT, "  %-52s %8d%n", key, count));
        out.printf(Locale.ROOT, "%n%d hosts left RUNNING%n", incidents.size());
        if (!incidents.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "  %-24s %-20s %-28s %-24s %10s  %s%n",
                    "host",
                    "first verdict",
                    "reason",
                    "at",
                    "after HB",
                    "last state");
        }
        for (HostIncident i : incidents.values()) {
            out.printf(
                    Locale.ROOT,
                    "  %-24s %-20s %-28s %-24s %8.1f s  %s%n",
                    i.host(),
                    i.firstVerdict(),
                    i.reason(),
                    ReplayJson.iso(i.verdictAt()),
                    i.timeToVerdictMs() / 1000.0,
                    i.last());
        }
    }
}
