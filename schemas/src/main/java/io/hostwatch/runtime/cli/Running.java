package io.hostwatch.runtime.cli;

import java.util.concurrent.CompletionStage;

/** A started service, as the scaffold sees it: it can be closed, and it may end on its own. */
public interface Running extends AutoCloseable {
    /**
     * Completes when the service ended without {@link #close()} being called (it died, or refused its configuration).
     * It may also complete during or after {@link #close()}; the scaffold then ignores it.
     */
    CompletionStage<Stopped> stoppedByItself();

    /** Stops the service and waits, within the service's own shutdown timeout, until it has. */
    @Override
    void close();
}
