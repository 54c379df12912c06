package io.hostwatch.agent.isolation;

import java.time.Duration;

/** Checks whether an isolation address answers. Blocking; runs on the isolation monitor's thread. */
public interface ReachabilityProbe {

    /** Whether the address answered and, for logs, how. */
    record Outcome(boolean reachable, String detail) {}

    Outcome probe(IsolationAddress address, Duration timeout) throws InterruptedException;

    String method();
}
