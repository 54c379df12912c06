package io.hostwatch.agent.service;

import io.hostwatch.agent.MemberAgentConfig.ServiceDownAction;
import io.hostwatch.schema.ServiceStatus;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per heartbeat, whether a host still heartbeats while its service is DOWN: with
 * {@code stop-heartbeats} it sends {@code serviceStatus=DOWN} for the grace period and then stops network and
 * storage heartbeats, so that the detector sees the "service process crashed" signature; it resumes as soon as
 * the service is no longer DOWN. (A host that has declared itself isolated keeps its storage heartbeat anyway; see
 * {@code HostAgent}.) Called from the heartbeat thread only.
 */
public final class ServiceDownGate {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceDownGate.class);
    private static final long NOT_DOWN = Long.MIN_VALUE;

    /** What one host does at one tick. */
    public enum Decision {
        HEARTBEAT,
        SILENT
    }

    /** The host's phase, for metrics. */
    public enum Phase {
        RUNNING,
        SERVICE_DOWN,
        STOPPED
    }

    private final String host;
    private final ServiceDownAction action;
    private final long graceNanos;
    private long downSinceNanos = NOT_DOWN;
    private volatile Phase phase = Phase.RUNNING;

    public ServiceDownGate(String host, ServiceDownAction action, Duration grace) {
        this.host = host;
        this.action = action;
        this.graceNanos = grace.toNanos();
    }

    public Decision decide(ServiceStatus status, long nowNanos) {
        if (status != ServiceStatus.DOWN) {
            if (phase != Phase.RUNNING) {
                LOG.info(
                        "event=service.recovered host={} status={} was={}: {}",
                        host,
                        status,
                        phase,
                        phase == Phase.STOPPED ? "resuming network and storage heartbeats" : "reporting it");
            }
            downSinceNanos = NOT_DOWN;
            phase = Phase.RUNNING;
            return Decision.HEARTBEAT;
        }
        if (downSinceNanos == NOT_DOWN) {
            downSinceNanos = nowNanos;
            phase = Phase.SERVICE_DOWN;
            if (action == ServiceDownAction.STOP_HEARTBEATS) {
                LOG.warn(
                        "event=service.down host={} action=stop-heartbeats grace_ms={}: sending serviceStatus=DOWN, "
                                + "then stopping network and storage heartbeats",
                        host,
                        graceNanos / 1_000_000);
            } else {
                LOG.warn(
                        "event=service.down host={} action=report-down: sending serviceStatus=DOWN until it "
                                + "recovers",
                        host);
            }
        }
        if (action == ServiceDownAction.STOP_HEARTBEATS && nowNanos - downSinceNanos >= graceNanos) {
            if (phase != Phase.STOPPED) {
                phase = Phase.STOPPED;
                LOG.warn(
                        "event=service.heartbeats_stopped host={} down_ms={}: no network or storage heartbeats "
                                + "until the service is back (storage heartbeats go on while the host is isolated)",
                        host,
                        (nowNanos - downSinceNanos) / 1_000_000);
            }
            return Decision.SILENT;
        }
        return Decision.HEARTBEAT;
    }

    public Phase phase() {
        return phase;
    }
}
