package io.hostwatch.detector.replay;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on stderr for long replays: records read of the window's total, rate and ETA, redrawn in place at
 * most twice a second. The total counts offsets, so it can exceed what is replayed (transaction markers).
 */
final class ReplayProgress {
    private static final long REDRAW_NANOS = 500_000_000L;

    private final PrintWriter err;
    private final long total;
    private final String label;
    private final long started = System.nanoTime();
    private long lastDraw = started;

    ReplayProgress(PrintWriter err, long total, String label) {
        this.err = err;
        this.total = total;
        this.label = label;
    }

    /** Called every few thousand records; draws when half a second passed. */
    void update(long read) {
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(read, now);
    }

    void done(long read) {
        draw(read, System.nanoTime());
        err.println();
        err.flush();
    }

    private void draw(long read, long now) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        double rate = read / seconds;
        long remaining = rate > 0 ? (long) (Math.max(0, total - read) / rate) : 0;
        err.printf(
                Locale.ROOT,
                "\r%s%,d / %,d records (%d%%), %,.0f records/s, ETA %d:%02d   ",
                label,
                read,
                total,
                total == 0 ? 100 : Math.min(100, read * 100 / total),
                rate,
                remaining / 60,
                remaining % 60);
        err.flush();
    }
}
