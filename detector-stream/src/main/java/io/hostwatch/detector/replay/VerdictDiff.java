package io.hostwatch.detector.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostwatch.detector.DomainStatus;
import io.hostwatch.schema.HostState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code replay --set ... --diff}: the verdicts of two replays of one window (recorded config, changed config) that
 * differ. A verdict is a host's transition at a stream time; two verdicts of a host at the same time are the same if
 * state, reason and conditions are. Memory is per transition, not per record.
 */
final class VerdictDiff {
    /** A transition reduced to what an operator compares. */
    record Verdict(String host, long at, String state, String reason, String conditions) {
        static Verdict of(HostState s) {
            return new Verdict(
                    s.getHost(),
                    s.getObservedAt().toEpochMilli(),
                    s.getState().name(),
                    s.getReason().name(),
                    s.getConditions().toString());
        }

        String label() {
            return state + "/" + reason;
        }
    }

    /** One difference: {@code before} or {@code after} is null when only the other run has a verdict then. */
    record Change(String host, long at, Verdict before, Verdict after) {}

    /** Collects one run's verdicts. */
    static final class Run implements ReplayObserver {
        private final Map<String, Verdict> verdicts = new HashMap<>();

        @Override
        public void transition(HostState state, DomainStatus guard) {
            Verdict v = Verdict.of(state);
            verdicts.put(v.host() + "\u0000" + v.at(), v);
        }
    }

    private VerdictDiff() {}

    /** The differing verdicts, ordered by time, then host. */
    static List<Change> compare(Run before, Run after) {
        TreeMap<String, Change> changes = new TreeMap<>();
        Map<String, Verdict> all = new HashMap<>(before.verdicts);
        after.verdicts.forEach(all::putIfAbsent);
        all.forEach((key, any) -> {
            Verdict b = before.verdicts.get(key);
            Verdict a = after.verdicts.get(key);
            if (!Objects.equals(b, a)) {
                changes.put(
                        String.format(Locale.ROOT, "%020d %s", any.at(), any.host()),
                        new Change(any.host(), any.at(), b, a));
            }
        });
        return new ArrayList<>(changes.values());
    }

    static void print(PrintWriter out, List<Change> changes, Map<String, String> overrides, boolean json) {
        int onlyBefore = 0;
        int onlyAfter = 0;
        Map<String, Integer> goneByState = new TreeMap<>();
        for (Change c : changes) {
            if (c.after() == null) {
                onlyBefore++;
                goneByState.merge(c.before().state(), 1, Integer::sum);
            } else if (c.before() == null) {
                onlyAfter++;
            }
            if (json) {
                ObjectNode node = ReplayJson.object();
                node.put("host", c.host());
                node.put("at", ReplayJson.iso(c.at()));
                node.set("before", verdictNode(c.before()));
                node.set("after", verdictNode(c.after()));
                out.println(ReplayJson.write(node));
            } else {
                out.printf(
                        Locale.ROOT,
                        "%-24s %-24s %-44s -> %s%n",
                        ReplayJson.iso(c.at()),
                        c.host(),
                        c.before() == null ? "(none)" : c.before().label(),
                        c.after() == null ? "(none)" : c.after().label());
            }
        }
        int changed = changes.size() - onlyBefore - onlyAfter;
        if (json) {
            ObjectNode summary = ReplayJson.object();
            summary.put("differing", changes.size());
            summary.put("onlyBefore", onlyBefore);
            summary.put("onlyAfter", onlyAfter);
            summary.put("changed", changed);
            ObjectNode gone = summary.putObject("onlyBeforeByState");
            goneByState.forEach(gone::put);
            out.println(ReplayJson.write(summary));
        } else {
            out.printf(
                    Locale.ROOT,
                    "%d verdicts differ with %s: %d only with the recorded config, %d only with the "
                            + "change, %d changed%n",
                    changes.size(),
                    overrides,
                    onlyBefore,
                    onlyAfter,
                    changed);
            goneByState.forEach(
                    (state, n) -> out.printf(Locale.ROOT, "  %d %s verdicts would not have happened%n", n, state));
        }
        out.flush();
    }

    private static ObjectNode verdictNode(Verdict v) {
        if (v == null) {
            return null;
        }
        ObjectNode node = ReplayJson.object();
        node.put("state", v.state());
        node.put("reason", v.reason());
        return node;
    }
}
