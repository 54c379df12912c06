package io.hostwatch.detector;

import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;

/** One prober's latest answer within the current silence of a host. */
record ProberEvidence(String prober, int attempt, long receivedAt, PingOutcome ping, StorageOutcome storage) {

    /**
     * This prober's newer answer, keeping a part of this one where the newer part is inconclusive: a prober that
     * could not see this time (ERROR, or a MISSING file) has learnt nothing that undoes what it saw before, so an
     * overloaded round never turns a conclusive verdict back into UNKNOWN.
     */
    ProberEvidence updatedBy(ProberEvidence newer) {
        PingOutcome mergedPing = newer.ping().getStatus() == PingStatus.ERROR ? ping : newer.ping();
        StorageOutcome mergedStorage = conclusive(newer.storage().getStatus()) ? newer.storage() : storage;
        return new ProberEvidence(prober, newer.attempt(), newer.receivedAt(), mergedPing, mergedStorage);
    }

    private static boolean conclusive(StorageStatus status) {
        return status == StorageStatus.FRESH || status == StorageStatus.STALE;
    }
}
