package io.hostwatch.prober;

import java.time.Duration;

/**
 * When a probe's answer is due, on the {@link System#nanoTime()} clock. At that moment the probe's unfinished parts
 * are published as ERROR, so queued work for it (a ping waiting for a slot, a storage read waiting for a thread)
 * that has not started by then is skipped instead of adding to a backlog under overload.
 */
record Deadline(long nanos) {

    static Deadline in(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    boolean passed() {
        return System.nanoTime() - nanos >= 0;
    }
}
