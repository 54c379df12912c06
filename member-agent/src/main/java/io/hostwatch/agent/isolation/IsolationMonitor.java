package io.hostwatch.agent.isolation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-isolation detection (vSphere HA's isolation address): every check interval, if Kafka has not acknowledged a
 * heartbeat for a while (silence the agent chose itself aside), probe the isolation addresses; feed both into {@link IsolationDetector}; on a transition,
 * log loudly and run the {@link IsolationResponse}. The storage heartbeat reads {@link #isolated()} and writes the
 * marker the prober reports.
 */
public final class IsolationMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IsolationMonitor.class);

    private final List<IsolationAddress> addresses;
    private final ReachabilityProbe probe;
    private final Duration checkTimeout;
    private final Duration timeout;
    private final IsolationDetector detector;
    private final LongSupplier lastKafkaAckNanos;
    private final LongSupplier lastChosenSilenceNanos;
    private final IsolationResponse response;
    private final String hosts;
    private volatile boolean isolated;
    private boolean lastRoundAnswered = true;
    private ScheduledFuture<?> schedule;

    public IsolationMonitor(
            List<IsolationAddress> addresses,
            ReachabilityProbe probe,
            Duration checkTimeout,
            Duration timeout,
            Duration kafkaSilentAfter,
            LongSupplier lastKafkaAckNanos,
            LongSupplier lastChosenSilenceNanos,
            IsolationResponse response,
            String hosts) {
        this.addresses = List.copyOf(addresses);
        this.probe = probe;
        this.checkTimeout = checkTimeout;
        this.timeout = timeout;
        this.detector = new IsolationDetector(timeout, kafkaSilentAfter, System.nanoTime());
        this.lastKafkaAckNanos = lastKafkaAckNanos;
        this.lastChosenSilenceNanos = lastChosenSilenceNanos;
        this.response = response;
        this.hosts = hosts;
    }

    public boolean isolated() {
        return isolated;
    }

    public String describe() {
        return probe.method() + " "
                + addresses.stream().map(IsolationAddress::toString).collect(Collectors.joining(",")) + " timeout_ms="
                + timeout.toMillis() + " response=" + response.describe();
    }

    public synchronized void start(ScheduledExecutorService executor, Duration interval) {
        schedule = executor.scheduleWithFixedDelay(
                this::round, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One evaluation; public for tests. */
    public void round() {
        try {
            long lastAck = lastKafkaAckNanos.getAsLong();
            long lastSilence = lastChosenSilenceNanos.getAsLong();
            Boolean answered = null;
            if (detector.shouldProbe(System.nanoTime(), lastAck, lastSilence)) {
                answered = anyAddressAnswers();
            }
            long now = System.nanoTime();
            IsolationDetector.Transition transition = detector.update(now, lastAck, lastSilence, answered);
            isolated = detector.isolated();
            if (transition == IsolationDetector.Transition.ISOLATED) {
                LOG.error(
                        "event=isolation.declared hosts={} kafka_silent_ms={} addresses=\"{}\" method={}: "
                                + "HOST IS ISOLATED - no heartbeat acknowledged by Kafka and no isolation address "
                                + "answered for {} ms; writing isolated=true into the storage heartbeat; response={}",
                        hosts,
                        (now - lastAck) / 1_000_000,
                        addresses,
                        probe.method(),
                        timeout.toMillis(),
                        response.describe());
                response.isolated();
            } else if (transition == IsolationDetector.Transition.RECOVERED) {
                String how =
                        Boolean.TRUE.equals(answered) ? "isolation address answers" : "Kafka acknowledges heartbeats";
                LOG.warn("event=isolation.recovered hosts={} reason=\"{}\": no longer isolated", hosts, how);
                response.recovered();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("event=isolation.check_error reason=\"{}\"", e.toString());
        }
    }

    private boolean anyAddressAnswers() throws InterruptedException {
        StringBuilder failures = new StringBuilder();
        for (IsolationAddress address : addresses) {
            ReachabilityProbe.Outcome outcome = probe.probe(address, checkTimeout);
            if (outcome.reachable()) {
                lastRoundAnswered = true;
                return true;
            }
            failures.append(address).append(": ").append(outcome.detail()).append("; ");
        }
        if (lastRoundAnswered) {
            LOG.warn("event=isolation.addresses_unreachable hosts={} detail=\"{}\"", hosts, failures);
        }
        lastRoundAnswered = false;
        return false;
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(true);
        }
        response.close();
    }
}
