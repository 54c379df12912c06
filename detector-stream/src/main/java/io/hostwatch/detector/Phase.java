package io.hostwatch.detector;

/** Where a host is in contract section 5's state machine, as far as the detector's own work goes. */
enum Phase {
    /** Heartbeats arrive; the timer is the silence deadline. */
    WATCHING,
    /** Silent; a probe request is out (SUSPECT in contract section 5). Nothing is published yet. */
    PROBING,
    /** Silent and classified; the verdict is published. Waits for a heartbeat (or a re-probe/guard timer). */
    SETTLED
}
