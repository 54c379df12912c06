package io.hostwatch.prober;

import java.time.Duration;

/**
 * When the storage check reads a heartbeat file a second time, and when one read is enough to call it STALE.
 *
 * @param recheckDelay how long after the first read the second one happens
 * @param staleSilence the silence after which a file that moved on by at most one write is STALE at the first read
 */
record StorageTiming(Duration recheckDelay, Duration staleSilence) {}
