package io.hostwatch.prober;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * Pings one address without blocking the caller. The future always completes with an outcome, never
 * exceptionally: OK (the host answered), FAILED (no answer to any attempt) or ERROR (no verdict: bad address,
 * the prober's own network, a tool failure, or the deadline passed before the ping could start).
 */
interface Pinger extends AutoCloseable {

    CompletableFuture<PingOutcome> ping(String address, Deadline deadline);

    PingMethod method();

    @Override
    void close();
}
