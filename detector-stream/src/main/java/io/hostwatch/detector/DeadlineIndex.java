package io.hostwatch.detector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-task timer structure of DESIGN section 9: hosts ordered by the time their state machine wants to run
 * again, so that each advance of stream time touches only the hosts that are due, never every host.
 *
 * <p>Kept in memory and rebuilt from the host store when a task is (re)initialised: it is derived from the
 * records' {@code timerAt}, so it needs no changelog of its own and costs no store write per heartbeat. Moving a
 * deadline later (every heartbeat does) is lazy: only the host's wanted time is updated, and its queue entry is
 * re-filed when it comes up; so the steady-state cost is one hash-map put per heartbeat and one re-file per host per
 * timeout.
 */
final class DeadlineIndex {
    private final Map<String, Long> deadlineByHost = new HashMap<>();
    private final Map<String, Long> queuedAt = new HashMap<>();
    private final TreeMap<Long, ArrayList<String>> queue = new TreeMap<>();
    private long lastDue;

    /** Wants {@code host} run at {@code deadline}; {@link HostRecord#UNSET} cancels. */
    void schedule(String host, long deadline) {
        if (deadline == HostRecord.UNSET) {
            deadlineByHost.remove(host);
            return;
        }
        deadlineByHost.put(host, deadline);
        Long queued = queuedAt.get(host);
        if (queued != null && queued <= deadline) {
            return;
        }
        enqueue(host, deadline);
    }

    /** The next host due strictly before {@code limit}, or null; its due time is then {@link #lastDue()}. */
    String pollDue(long limit) {
        while (true) {
            Map.Entry<Long, ArrayList<String>> first = queue.firstEntry();
            if (first == null || first.getKey() >= limit) {
                return null;
            }
            long at = first.getKey();
            ArrayList<String> hosts = first.getValue();
            String host = hosts.remove(hosts.size() - 1);
            if (hosts.isEmpty()) {
                queue.pollFirstEntry();
            }
            Long queued = queuedAt.get(host);
            if (queued == null || queued != at) {
                continue;
            }
            queuedAt.remove(host);
            Long wanted = deadlineByHost.get(host);
            if (wanted == null) {
                continue;
            }
            if (wanted > at) {
                enqueue(host, wanted);
                continue;
            }
            deadlineByHost.remove(host);
            lastDue = wanted;
            return host;
        }
    }

    long lastDue() {
        return lastDue;
    }

    /** Hosts with a wanted time. */
    int size() {
        return deadlineByHost.size();
    }

    void clear() {
        deadlineByHost.clear();
        queuedAt.clear();
        queue.clear();
    }

    private void enqueue(String host, long at) {
        queuedAt.put(host, at);
        queue.computeIfAbsent(at, k -> new ArrayList<>(2)).add(host);
    }
}
