package io.hostwatch.detector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-task timer structure of contract section 9: hosts ordered by the time their state machine wants to run
 * again, so that each advance of stream time touches only the hosts that are due, never every host.
 *
 * <p>Kept in memory and rebuilt from the host store when a task is (re)initialised: it is derived from the
 * records' {@code timerAt}, so it needs no changelog of its own and costs no store write per heartbeat. Moving a
 * deadline later (every heartbeat does) is lazy: only the host's wanted time is updated, and its queue entry is
 * re-filed when it comes up; so the steady-state cost is one hash-map put per heartbeat and one re-file per host per
 * timeout.
 */
final class DeadlineIndex {
    private static final long NONE = Long.MIN_VALUE;

    /** One per host: no boxing and one hash lookup per heartbeat. */
    private static final class Timer {
        long wanted = NONE;
        long queued = NONE;
    }

    private final Map<String, Timer> timers = new HashMap<>();
    private final TreeMap<Long, ArrayList<String>> queue = new TreeMap<>();
    private long lastDue;
    private int size;

    /** Wants {@code host} run at {@code deadline}; {@link HostRecord#UNSET} cancels. */
    void schedule(String host, long deadline) {
        Timer timer = timers.get(host);
        if (deadline == HostRecord.UNSET) {
            if (timer != null && timer.wanted != NONE) {
                timer.wanted = NONE;
                size--;
            }
            return;
        }
        if (timer == null) {
            timer = new Timer();
            timers.put(host, timer);
        }
        if (timer.wanted == NONE) {
            size++;
        }
        timer.wanted = deadline;
        if (timer.queued != NONE && timer.queued <= deadline) {
            return;
        }
        enqueue(host, timer, deadline);
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
            Timer timer = timers.get(host);
            if (timer == null || timer.queued != at) {
                continue;
            }
            timer.queued = NONE;
            if (timer.wanted == NONE) {
                timers.remove(host);
                continue;
            }
            if (timer.wanted > at) {
                enqueue(host, timer, timer.wanted);
                continue;
            }
            lastDue = timer.wanted;
            timer.wanted = NONE;
            size--;
            return host;
        }
    }

    long lastDue() {
        return lastDue;
    }

    /** Hosts with a wanted time. */
    int size() {
        return size;
    }

    void clear() {
        timers.clear();
        queue.clear();
        size = 0;
    }

    private void enqueue(String host, Timer timer, long at) {
        timer.queued = at;
        queue.computeIfAbsent(at, k -> new ArrayList<>(2)).add(host);
    }
}
