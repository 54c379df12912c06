package io.hostwatch.detector.console;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * What one instance (or, merged, the whole detector) knows for one host-table request: counts per state over all
 * hosts, per failure domain, how many hosts match the filter, and the first {@code window} matching rows in
 * {@link HostRow#ORDER}. One pass over the hosts, keeping at most {@code window} rows: a page of 50 out of 10,000
 * hosts never sorts or renders 10,000 rows.
 *
 * @param counts  hosts per state name, plus {@value HostRow#DEGRADED} (RUNNING with a condition)
 * @param domains per failure domain: hosts and how many of them are not RUNNING
 * @param matched hosts matching the filter
 */
public record HostSlice(
        Map<String, Integer> counts, Map<String, DomainTally> domains, int matched, List<HostRow> rows) {

    /** A failure domain's hosts as the host table sees them. */
    public record DomainTally(int hosts, int notRunning) {
        DomainTally plus(DomainTally other) {
            return new DomainTally(hosts + other.hosts, notRunning + other.notRunning);
        }
    }

    public static HostSlice of(Iterable<HostRow> hosts, HostFilter filter, int window) {
        Builder builder = new Builder(filter, window);
        hosts.forEach(builder::add);
        return builder.build();
    }

    /** Accumulates one instance's hosts in one pass, keeping at most {@code window} matching rows. */
    public static final class Builder {
        private final HostFilter filter;
        private final int window;
        private final Map<String, Integer> counts = new TreeMap<>();
        private final Map<String, DomainTally> domains = new TreeMap<>();
        // the window's worst-placed row on top, so a better one replaces it in O(log window)
        private final PriorityQueue<HostRow> best;
        private int matched;

        public Builder(HostFilter filter, int window) {
            this.filter = filter;
            this.window = window;
            this.best = new PriorityQueue<>(Math.max(1, Math.min(window, 1024)), HostRow.ORDER.reversed());
        }

        public void add(HostRow row) {
            counts.merge(row.state(), 1, Integer::sum);
            if (row.degraded()) {
                counts.merge(HostRow.DEGRADED, 1, Integer::sum);
            }
            domains.merge(row.domain(), new DomainTally(1, row.running() ? 0 : 1), DomainTally::plus);
            if (!filter.matches(row)) {
                return;
            }
            matched++;
            if (window == 0) {
                return;
            }
            if (best.size() < window) {
                best.add(row);
            } else if (HostRow.ORDER.compare(row, best.peek()) < 0) {
                best.poll();
                best.add(row);
            }
        }

        public HostSlice build() {
            List<HostRow> rows = new ArrayList<>(best);
            rows.sort(HostRow.ORDER);
            return new HostSlice(counts, domains, matched, rows);
        }
    }

    /** The whole detector's slice from every instance's (each owns a disjoint set of hosts). */
    public static HostSlice merge(Collection<HostSlice> slices, int window) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, DomainTally> domains = new TreeMap<>();
        List<HostRow> rows = new ArrayList<>();
        int matched = 0;
        for (HostSlice slice : slices) {
            slice.counts().forEach((state, n) -> counts.merge(state, n, Integer::sum));
            slice.domains().forEach((domain, tally) -> domains.merge(domain, tally, DomainTally::plus));
            matched += slice.matched();
            rows.addAll(slice.rows());
        }
        rows.sort(HostRow.ORDER);
        return new HostSlice(counts, domains, matched, List.copyOf(rows.subList(0, Math.min(window, rows.size()))));
    }

    /** The requested page of the merged rows. */
    public HostPage page(HostFilter filter, long serverTime) {
        int from = Math.min(filter.offset(), rows.size());
        int to = Math.min(filter.window(), rows.size());
        return new HostPage(matched, filter.offset(), filter.limit(), List.copyOf(rows.subList(from, to)), serverTime);
    }

    public int total() {
        return counts.entrySet().stream()
                .filter(e -> !e.getKey().equals(HostRow.DEGRADED))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }
}
