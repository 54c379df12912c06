package io.hostwatch.runtime.cli;

/** Where a request to stop comes from: SIGTERM/SIGINT and JVM shutdown in production, a test's hand in tests. */
@FunctionalInterface
public interface StopSignals {
    /**
     * Calls {@code stop} on every request to stop until the returned registration is closed. {@code stop} blocks until
     * the service is closed (a shutdown hook must not return earlier) and may be called more than once.
     */
    Registration onStop(Runnable stop);

    /** SIGTERM and SIGINT, plus a shutdown hook for every other way the JVM is asked to exit. */
    static StopSignals jvm() {
        return new JvmStopSignals();
    }

    /** Undoes {@link #onStop}. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
