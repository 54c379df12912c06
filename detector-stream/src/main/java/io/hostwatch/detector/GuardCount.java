package io.hostwatch.detector;

/** How a host is counted in its failure domain's totals for the mass-failure guard. */
enum GuardCount {
    /** Not counted: silent and settled for longer than a heartbeat timeout (its failure was its own). */
    NONE(0, 0),
    /** Heartbeating: one known host. */
    LIVE(1, 0),
    /** Recently silent (or held by the guard): one known, one silent host. */
    SILENT(1, 1);

    final int known;
    final int silent;

    GuardCount(int known, int silent) {
        this.known = known;
        this.silent = silent;
    }
}
