package io.hostwatch.prober;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;

/** Builders for the two evidence records, so every place says status, sequence and detail the same way. */
final class Outcomes {
    private Outcomes() {}

    static PingOutcome pingOk(PingMethod method, Long rttMicros, String detail) {
        return new PingOutcome(PingStatus.OK, method, rttMicros, detail);
    }

    static PingOutcome pingFailed(PingMethod method, String detail) {
        return new PingOutcome(PingStatus.FAILED, method, null, detail);
    }

    static PingOutcome pingError(PingMethod method, String detail) {
        return new PingOutcome(PingStatus.ERROR, method, null, detail);
    }

    static StorageOutcome storage(StorageStatus status, Long sequence, boolean selfIsolated, String detail) {
        return new StorageOutcome(status, sequence, selfIsolated, detail);
    }

    static StorageOutcome storageError(String detail) {
        return new StorageOutcome(StorageStatus.ERROR, null, false, detail);
    }
}
