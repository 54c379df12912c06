package io.hostwatch.agent;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When this agent last chose to send nothing at all: every host's service-down gate silent. The isolation monitor
 * judges Kafka by its acknowledgements, and an agent that sends nothing gets none; that silence is the agent's own,
 * not Kafka's, and must not count towards self-isolation. While at least one host sends, its acknowledgements (or
 * their absence) speak for Kafka, so one silent virtual host among many changes nothing.
 */
public final class ChosenSilence {
    /** No chosen silence yet: {@code Math.max} with any acknowledgement time picks the acknowledgement. */
    public static final long NEVER = Long.MIN_VALUE;

    private final int hosts;
    private final AtomicInteger silentHosts = new AtomicInteger();
    private final AtomicLong lastNanos = new AtomicLong(NEVER);

    public ChosenSilence(int hosts) {
        this.hosts = hosts;
    }

    /** One host's gate decision at one tick, {@code wasSilent} being its decision at its previous tick. */
    void record(boolean wasSilent, boolean silent, long nowNanos) {
        boolean allSilentBefore = silentHosts.get() == hosts;
        if (silent != wasSilent) {
            silentHosts.addAndGet(silent ? 1 : -1);
        }
        // Also the tick that ends it: Kafka's silence counts from the first moment the agent speaks again.
        if (allSilentBefore || silentHosts.get() == hosts) {
            lastNanos.accumulateAndGet(nowNanos, Math::max);
        }
    }

    /** {@link System#nanoTime()} of the last moment every host was silent by choice, or {@link #NEVER}. */
    public long lastNanos() {
        return lastNanos.get();
    }
}
