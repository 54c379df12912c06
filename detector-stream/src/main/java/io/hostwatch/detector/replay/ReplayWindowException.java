package io.hostwatch.detector.replay;

/** The requested window cannot be replayed as asked (no data, beyond retention, a topic missing): bad input, exit 2. */
public final class ReplayWindowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayWindowException(String message) {
        super(message);
    }
}
