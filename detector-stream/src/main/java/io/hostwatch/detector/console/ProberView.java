package io.hostwatch.detector.console;

/**
 * One prober's latest answer in the host's current probe round: what it saw and when it arrived (broker time).
 * Fields of a part the prober did not report are null.
 */
public record ProberView(
        String prober,
        int attempt,
        long receivedAt,
        String ping,
        String pingMethod,
        Long pingRttMicros,
        String pingDetail,
        String storage,
        Long storageSequence,
        Boolean selfIsolated,
        String storageDetail) {}
