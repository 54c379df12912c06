package io.hostwatch.prober;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * At-least-once bookkeeping for one partition: results complete out of order, so the offset that may be committed
 * is the lowest one still unanswered (or the next one to read when nothing is pending). Confined to the poll thread.
 */
final class PartitionOffsets {
    private final TreeSet<Long> pending = new TreeSet<>();
    private final TreeSet<Long> failed = new TreeSet<>();
    private long next = -1;
    private long committed = -1;
    private int generation;

    void started(long offset) {
        pending.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** A record needing no answer (dead-lettered, tombstone) counts as answered at once. */
    void skipped(long offset) {
        next = Math.max(next, offset + 1);
    }

    void done(long offset) {
        if (!failed.contains(offset)) {
            pending.remove(offset);
        }
    }

    /** The answer could not be published: the offset stays pending, so it is never committed past. */
    void failed(long offset) {
        failed.add(offset);
    }

    /** Requests still being probed or published (failed ones excluded: they will not finish). */
    int inFlight() {
        return pending.size() - failed.size();
    }

    OptionalLong committable() {
        if (next < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(pending.isEmpty() ? next : pending.first());
    }

    /** The committable offset if it moved since the last commit. */
    OptionalLong toCommit() {
        OptionalLong offset = committable();
        if (offset.isPresent() && offset.getAsLong() != committed) {
            return offset;
        }
        return OptionalLong.empty();
    }

    void committed(long offset) {
        committed = offset;
    }

    int generation() {
        return generation;
    }

    /**
     * After a seek back: forget everything; completions of the old generation are ignored here (the loop still
     * counts their probes against probe.max.in.flight until they finish).
     */
    void reset() {
        pending.clear();
        failed.clear();
        next = -1;
        generation++;
    }
}
