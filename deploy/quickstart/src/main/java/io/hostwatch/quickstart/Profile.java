package io.hostwatch.quickstart;

import java.util.Map;

/**
 * Detection timing for the whole pipeline: the agents' heartbeat interval and everything derived from it.
 * {@link #DEFAULT} is what contract section 5 prescribes (1 s heartbeats, 3 s timeout); {@link #FAST} is for
 * operators who trade probe traffic for faster verdicts (250 ms heartbeats, 1 s timeout).
 *
 * <p>A dead host's verdict comes one heartbeat timeout after its last heartbeat plus the tick that notices it plus
 * the ping timeout plus two exactly-once commits (the probe request's and the host state's), so both profiles keep
 * those small: ticks are a few bytes per partition, a management-network ping that has not answered in 500 ms (200 ms
 * fast, still 100 times a LAN round trip) will not, and the second prober's ping guards against a lost packet.
 * The prober judges the storage heartbeat on one read once the silence is one interval plus the agents' storage
 * write timeout (an agent writing within its own timeout has written again by then), so the fast profile holds
 * agents to 500 ms writes: with the default 2 s, every verdict would wait for a second read.
 */
record Profile(
        String name,
        int heartbeatIntervalMs,
        int heartbeatTimeoutMs,
        int pingTimeoutMs,
        int probeDeadlineMs,
        int tickIntervalMs,
        int storageWriteTimeoutMs,
        int commitIntervalMs) {
    static final Profile DEFAULT = new Profile("default", 1000, 3000, 500, 2000, 200, 2000, 100);
    static final Profile FAST = new Profile("fast", 250, 1000, 200, 800, 50, 500, 50);

    static Profile named(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "fast" -> FAST;
            default -> throw new IllegalArgumentException("unknown profile '" + name + "': default or fast");
        };
    }

    Map<String, String> agent() {
        return Map.of(
                "heartbeat.interval.ms",
                Integer.toString(heartbeatIntervalMs),
                "storage.write.timeout.ms",
                Integer.toString(storageWriteTimeoutMs));
    }

    Map<String, String> detector() {
        return Map.of(
                "heartbeat.timeout.ms", Integer.toString(heartbeatTimeoutMs),
                "probe.timeout.ms", Integer.toString(probeDeadlineMs + 1000),
                "tick.interval.ms", Integer.toString(tickIntervalMs),
                // exactly-once: probe requests and host states are visible only when the transaction commits
                "kafka.commit.interval.ms", Integer.toString(commitIntervalMs),
                // how long ticks may stop before the detector treats silence as its own stall, not the hosts'
                "pipeline.stall.ms", Integer.toString(Math.max(2 * heartbeatTimeoutMs / 3, 5 * tickIntervalMs)));
    }

    Map<String, String> prober() {
        return Map.of(
                "probe.deadline.ms", Integer.toString(probeDeadlineMs),
                "probe.ping.timeout.ms", Integer.toString(pingTimeoutMs),
                "probe.ping.count", "1",
                // a FAILED ping waits for a self-check that must fit the deadline too (the prober checks the sum)
                "selfcheck.timeout.ms", Integer.toString(pingTimeoutMs),
                // 1.5 intervals, as the prober's default: a re-read exactly one interval later can miss a write that
                // was merely late and call a live host STALE
                "storage.recheck.delay.ms", Integer.toString(heartbeatIntervalMs * 3 / 2),
                // an agent that writes within its own write timeout has written again by then: one read decides
                "storage.stale.silence.ms", Integer.toString(heartbeatIntervalMs + storageWriteTimeoutMs));
    }
}
