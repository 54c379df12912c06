package io.hostwatch.prober;

import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.storage.StorageHeartbeat;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * contract section 6 as a pure function of what was read. FRESH when the file's sequence moved on by at least
 * {@link #FRESH_ADVANCE} since the request's {@code lastStorageSequence} (the host kept writing after its network
 * heartbeats stopped);
 * STALE at once when it moved on by at most 1 and the silence had already lasted {@code storage.stale.silence.ms}
 * when the detector asked. A heartbeat carries the sequence of the last write that had completed, so the write the
 * agent started with it usually lands just after it: one step is that write, not a sign of life; an agent whose writes
 * finish within its own storage.write.timeout.ms has written again one interval plus that timeout after it;
 * otherwise a second read one recheck delay later decides: FRESH if it advanced (or a new agent instance wrote it),
 * STALE if not. No wall clock is compared across hosts: the silence is the detector's own (broker) time between the
 * last heartbeat and the request. Anything unreadable is ERROR, an absent file MISSING.
 */
final class StorageClassifier {
    static final long UNKNOWN_SEQUENCE = -1;
    /**
     * Moved on by this much since the detector's last view: written after the network heartbeats stopped. Not 2, as
     * contract section 6 says: besides the write in flight with the last heartbeat, the heartbeat of the next tick can
     * die with a killed agent (it lingers in the producer's buffer for milliseconds, a local write lands in fewer),
     * so a dead host's file can be 2 past; a live one is 3 or more past by the time the detector asks.
     */
    static final long FRESH_ADVANCE = 3;

    private StorageClassifier() {}

    /**
     * The outcome from the first read alone, or empty if a second read is needed. {@code silence} is how long the
     * host had been silent when the detector sent the request.
     */
    static Optional<StorageOutcome> afterFirstRead(
            StorageRead first, long lastStorageSequence, Duration silence, StorageTiming timing) {
        if (first.kind() != StorageRead.Kind.OK) {
            return Optional.of(notOk(first, false));
        }
        StorageHeartbeat heartbeat = first.heartbeat();
        if (lastStorageSequence == UNKNOWN_SEQUENCE) {
            return Optional.empty();
        }
        long sequence = heartbeat.storageSequence();
        if (sequence >= lastStorageSequence + FRESH_ADVANCE) {
            return Optional.of(Outcomes.storage(
                    StorageStatus.FRESH,
                    sequence,
                    heartbeat.isolated(),
                    String.format(
                            Locale.ROOT,
                            "sequence %d, %d past the last one heartbeated (%d)",
                            sequence,
                            sequence - lastStorageSequence,
                            lastStorageSequence)));
        }
        if (sequence >= lastStorageSequence
                && sequence <= lastStorageSequence + 1
                && silence.compareTo(timing.staleSilence()) >= 0) {
            // a heartbeat carries the last write that had completed; the one it started lands just after it
            String written = sequence == lastStorageSequence
                    ? "not written since the last network heartbeat"
                    : "written once since the last network heartbeat (the write in flight with it), then not again";
            return Optional.of(Outcomes.storage(
                    StorageStatus.STALE,
                    sequence,
                    heartbeat.isolated(),
                    String.format(
                            Locale.ROOT,
                            "sequence %d %s, %d ms before the request",
                            sequence,
                            written,
                            silence.toMillis())));
        }
        return Optional.empty();
    }

    /** The outcome from two reads {@code delay} apart (the first one OK). */
    static StorageOutcome afterSecondRead(
            StorageRead first, StorageRead second, Duration delay, long lastStorageSequence) {
        if (second.kind() != StorageRead.Kind.OK) {
            return notOk(second, true);
        }
        StorageHeartbeat before = first.heartbeat();
        StorageHeartbeat after = second.heartbeat();
        if (!after.agentInstance().equals(before.agentInstance())) {
            return Outcomes.storage(
                    StorageStatus.FRESH,
                    after.storageSequence(),
                    after.isolated(),
                    "a new agent instance (" + after.agentInstance() + ") wrote the file between two reads");
        }
        if (after.storageSequence() > before.storageSequence()) {
            return Outcomes.storage(
                    StorageStatus.FRESH,
                    after.storageSequence(),
                    after.isolated(),
                    String.format(
                            Locale.ROOT,
                            "sequence advanced %d -> %d in %d ms",
                            before.storageSequence(),
                            after.storageSequence(),
                            delay.toMillis()));
        }
        if (after.storageSequence() < lastStorageSequence) {
            // the agent's sequence never goes backwards and the heartbeat named a completed write: a file that stays
            // behind it is a restored or replayed copy (or a caching mount), which must never pass for STALE
            return Outcomes.storageError(String.format(
                    Locale.ROOT,
                    "sequence %d stayed behind the %d the last heartbeat reported: an old or replayed file",
                    after.storageSequence(),
                    lastStorageSequence));
        }
        return Outcomes.storage(
                StorageStatus.STALE,
                after.storageSequence(),
                after.isolated(),
                String.format(
                        Locale.ROOT,
                        "sequence %d did not advance in %d ms",
                        after.storageSequence(),
                        delay.toMillis()));
    }

    private static StorageOutcome notOk(StorageRead read, boolean secondRead) {
        String when = secondRead ? " (on the second read)" : "";
        switch (read.kind()) {
            case MISSING:
                return Outcomes.storage(StorageStatus.MISSING, null, false, read.detail() + when);
            case CORRUPT:
                return Outcomes.storageError("corrupt storage heartbeat" + when + ": " + read.detail());
            case ROOT_UNREADABLE:
                return Outcomes.storageError("storage root unreadable" + when + ": " + read.detail());
            case INVALID_HOST:
                return Outcomes.storageError(read.detail());
            case UNAUTHENTIC:
                return Outcomes.storageError("storage heartbeat not authentic" + when + ": " + read.detail());
            case UNREADABLE:
            default:
                return Outcomes.storageError("cannot read storage heartbeat" + when + ": " + read.detail());
        }
    }
}
