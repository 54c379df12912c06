package io.hostwatch.detector;

import io.hostwatch.schema.HostStatus;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What the topology tells the outside (metrics) while it runs. Called on stream threads: implementations must be
 * thread-safe and cheap. The default does nothing, so the topology stays a pure function of config and topics.
 */
public interface DetectorListener {
    DetectorListener NONE = new DetectorListener() {};

    /** Hosts of {@code task} in {@code state} changed by {@code delta}. */
    default void hostCount(TaskId task, HostStatus state, int delta) {}

    /** A task's processor closed: forget its counts (another instance or a restart will count them again). */
    default void taskClosed(TaskId task) {}

    default void probeRequested() {}

    default void probeResultIgnored() {}

    /** A heartbeat or probe result without a host key was dropped. */
    default void recordDropped() {}

    default void transition() {}

    /** A heartbeat was rejected before it touched any state, and dead-lettered. */
    default void heartbeatRejected(HeartbeatRejection reason) {}

    /** A heartbeat without an authenticator was accepted ({@code heartbeat.authentication=optional}). */
    default void heartbeatUnauthenticated() {}

    /** {@code nanos} spent running due host timers (index upkeep included) since the last report. */
    default void timerWork(long nanos) {}

    /** A tick was processed {@code lagMs} of wall-clock time after the broker stamped it. */
    default void tickProcessed(long lagMs) {}
}
