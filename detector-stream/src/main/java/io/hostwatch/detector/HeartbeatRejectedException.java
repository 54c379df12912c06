package io.hostwatch.detector;

/**
 * Thrown by the processor for a heartbeat it rejects, before any state is touched; the
 * {@link DetectorProcessingExceptionHandler} turns it into a dead letter in the task's transaction. No stack trace:
 * a flood of forged heartbeats must cost no more than the check.
 */
final class HeartbeatRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HeartbeatRejection reason;

    HeartbeatRejectedException(HeartbeatRejection reason, String detail) {
        super(reason.label() + ": " + detail, null, false, false);
        this.reason = reason;
    }

    HeartbeatRejection reason() {
        return reason;
    }
}
