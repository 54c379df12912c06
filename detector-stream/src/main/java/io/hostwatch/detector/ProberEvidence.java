package io.hostwatch.detector;

import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.StorageOutcome;

/** One prober's latest answer within the current silence of a host. */
record ProberEvidence(String prober, int attempt, long receivedAt, PingOutcome ping, StorageOutcome storage) {
}
