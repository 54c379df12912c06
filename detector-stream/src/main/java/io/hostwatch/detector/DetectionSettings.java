package io.hostwatch.detector;

/** The timing and guard settings the per-host state machine runs on (all durations in stream-time ms). */
public record DetectionSettings(
        long heartbeatTimeoutMs,
        long probeTimeoutMs,
        int probeAttempts,
        int probeQuorum,
        long probeCollectMs,
        long unknownReprobeMs,
        long pipelineStallMs,
        double massFailureFraction,
        int massFailureMinSilent,
        long massFailureRecheckMs,
        long massFailureLeadMs) {}
