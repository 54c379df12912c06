package io.hostwatch.detector.console;

import io.hostwatch.detector.DetectorListener;
import io.hostwatch.detector.HeartbeatRejection;
import io.hostwatch.schema.HostStatus;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Passes the topology's notifications on (to the metrics) and remembers the two the console needs: how many
 * transitions this instance published (the change feed's trigger) and when it last processed a tick (the staleness
 * banner). Called on stream threads: a counter and a volatile, nothing more.
 */
public final class ChangeTracker implements DetectorListener {
    private final DetectorListener next;
    private final AtomicLong transitions = new AtomicLong();
    private volatile long lastTickAtMs = -1;

    public ChangeTracker(DetectorListener next) {
        this.next = next;
    }

    long transitions() {
        return transitions.get();
    }

    /** Wall-clock time this instance last processed a tick, -1 if never. */
    long lastTickAtMs() {
        return lastTickAtMs;
    }

    @Override
    public void transition() {
        transitions.incrementAndGet();
        next.transition();
    }

    @Override
    public void tickProcessed(long lagMs) {
        lastTickAtMs = System.currentTimeMillis();
        next.tickProcessed(lagMs);
    }

    @Override
    public void hostCount(TaskId task, HostStatus state, int delta) {
        next.hostCount(task, state, delta);
    }

    @Override
    public void taskClosed(TaskId task) {
        next.taskClosed(task);
    }

    @Override
    public void probeRequested() {
        next.probeRequested();
    }

    @Override
    public void probeResultIgnored() {
        next.probeResultIgnored();
    }

    @Override
    public void recordDropped() {
        next.recordDropped();
    }

    @Override
    public void heartbeatRejected(HeartbeatRejection reason) {
        next.heartbeatRejected(reason);
    }

    @Override
    public void heartbeatUnauthenticated() {
        next.heartbeatUnauthenticated();
    }

    @Override
    public void timerWork(long nanos) {
        next.timerWork(nanos);
    }
}
