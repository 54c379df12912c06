package io.hostwatch.agent.service;

import io.hostwatch.schema.ServiceStatus;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ServiceCheck} on its own schedule and keeps the latest verdict, so the heartbeat thread only
 * reads a field. Until the first check returns the status is DEGRADED (alive, not yet vouched for).
 */
public final class ServiceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceWatch.class);

    private final String name;
    private final ServiceCheck check;
    private volatile ServiceStatus current;
    private ScheduledFuture<?> schedule;

    public ServiceWatch(String name, ServiceCheck check) {
        this.name = name;
        this.check = check;
        this.current = check instanceof NoServiceCheck ? ServiceStatus.OK : ServiceStatus.DEGRADED;
    }

    public ServiceStatus current() {
        return current;
    }

    public String describe() {
        return check.describe();
    }

    public synchronized void start(ScheduledExecutorService executor, Duration interval) {
        if (check instanceof NoServiceCheck) {
            return;
        }
        schedule = executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One check; public for tests and for callers that want a verdict before the first heartbeat. */
    public void runOnce() {
        try {
            ServiceCheck.Result result = check.check();
            ServiceStatus previous = current;
            current = result.status();
            if (previous != result.status()) {
                LOG.info(
                        "event=service.status watch={} status={} previous={} detail=\"{}\"",
                        name,
                        result.status(),
                        previous,
                        result.detail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: a check bug must not freeze the last verdict.
            LOG.warn("event=service.check_error watch={} reason=\"{}\"", name, e.toString());
            current = ServiceStatus.DEGRADED;
        }
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(true);
        }
    }
}
