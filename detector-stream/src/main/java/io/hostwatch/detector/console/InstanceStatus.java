package io.hostwatch.detector.console;

/**
 * One detector instance as the console's banner needs it.
 *
 * @param instance      {@code host:port} of its HTTP endpoint
 * @param streamsState  Kafka Streams' state (RUNNING, REBALANCING, ...), or UNREACHABLE
 * @param stale         it owns hosts but has not processed a tick for longer than the staleness bound: what it
 *                      shows may be old (broker, ticker or the stream thread stuck)
 * @param lastTickAgeMs wall-clock time since it last processed a tick, -1 if never
 */
public record InstanceStatus(String instance, String streamsState, boolean stale, long lastTickAgeMs) {
    static final String UNREACHABLE = "UNREACHABLE";

    boolean healthy() {
        return "RUNNING".equals(streamsState) && !stale;
    }
}
