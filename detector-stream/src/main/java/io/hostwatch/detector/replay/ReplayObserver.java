package io.hostwatch.detector.replay;

import io.hostwatch.detector.DomainStatus;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.ProbeRequest;

/** What a replay shows, step by step, in the order the detector did it. Called on the replaying thread. */
public interface ReplayObserver {
    /** A recorded input record about to be processed ({@code value} decoded: Heartbeat, ProbeResult or Tick). */
    default void input(String topic, String key, Object value, long timestamp) {}

    /** A probe request the detector sends. */
    default void probeRequest(ProbeRequest request) {}

    /**
     * A transition the detector writes to {@code host-state-history}; {@code guard} is the guard's view of the host's
     * failure domain as the detector saw it when deciding (null for a domain never counted).
     */
    default void transition(HostState state, DomainStatus guard) {}

    /** A record that could not be decoded; live it went to the dead-letter topic. */
    default void undecodable(String topic, int partition, long offset) {}
}
