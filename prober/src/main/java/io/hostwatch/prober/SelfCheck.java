package io.hostwatch.prober;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Can this prober see at all? Its reference address must answer and its storage root must be listable. The result
 * is cached and refreshed every interval; while the network part fails, pings are answered ERROR, while the storage
 * part fails, storage checks are. Because a cached "OK" can be seconds old, a FAILED ping is only reported after a
 * self-check that started after the ping did has passed ({@link #passedSince}): a prober whose cable was just
 * pulled must not turn its own outage into FAILED evidence.
 */
final class SelfCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SelfCheck.class);

    /** One self-check: what passed, and when it started ({@link System#nanoTime()}). */
    record Status(
            boolean networkOk,
            String networkDetail,
            boolean storageOk,
            String storageDetail,
            long startedNanos,
            Instant checkedAt) {
        boolean ok() {
            return networkOk && storageOk;
        }

        String summary() {
            return "network " + (networkOk ? "ok" : "FAILED (" + networkDetail + ")") + ", storage "
                    + (storageOk ? "ok" : "FAILED (" + storageDetail + ")");
        }
    }

    private final String reference;
    private final Supplier<CompletableFuture<PingOutcome>> referencePing;
    private final Path storageRoot;
    private final Executor storageIo;
    private final ScheduledExecutorService timer;
    private final Duration interval;
    private final Duration timeout;
    private volatile Status current;
    private CompletableFuture<Status> running;

    SelfCheck(
            String reference,
            Supplier<CompletableFuture<PingOutcome>> referencePing,
            Path storageRoot,
            Executor storageIo,
            ScheduledExecutorService timer,
            Duration interval,
            Duration timeout) {
        this.reference = reference;
        this.referencePing = referencePing;
        this.storageRoot = storageRoot;
        this.storageIo = storageIo;
        this.timer = timer;
        this.interval = interval;
        this.timeout = timeout;
        this.current = new Status(
                false,
                "not checked yet",
                false,
                "not checked yet",
                System.nanoTime() - Duration.ofDays(1).toNanos(),
                Instant.EPOCH);
    }

    /** Runs the first check (waiting for it) and schedules the refreshes. */
    Status start() {
        Status first = refresh().join();
        timer.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return first;
    }

    Status current() {
        return current;
    }

    /**
     * A status from a check that started at or after {@code nanos}: the current one if it qualifies, else the next
     * refresh (started now if none is running, or after the running one, which began too early).
     */
    CompletableFuture<Status> passedSince(long nanos) {
        Status status = current;
        if (status.startedNanos() - nanos >= 0) {
            return CompletableFuture.completedFuture(status);
        }
        return refresh()
                .thenCompose(
                        next -> next.startedNanos() - nanos >= 0 ? CompletableFuture.completedFuture(next) : refresh());
    }

    /** Starts a check unless one is running; returns the running or new one. */
    synchronized CompletableFuture<Status> refresh() {
        if (running != null && !running.isDone()) {
            return running;
        }
        long started = System.nanoTime();
        CompletableFuture<PingOutcome> network = referencePing
                .get()
                .completeOnTimeout(
                        Outcomes.pingError(PingMethod.ICMP, "no answer within " + timeout.toMillis() + " ms"),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        CompletableFuture<Optional<String>> storage = CompletableFuture.supplyAsync(
                        () -> StorageRoot.problem(storageRoot), storageIo)
                .completeOnTimeout(
                        Optional.of("listing " + storageRoot + " took longer than " + timeout.toMillis() + " ms"),
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS)
                .exceptionally(error -> Optional.of(Failures.describe(error)));
        running = network.thenCombine(storage, (ping, storageProblem) -> {
            boolean networkOk = ping.getStatus() == PingStatus.OK;
            String networkDetail = networkOk
                    ? reference + " answered"
                    : reference + " unreachable: " + (ping.getDetail() == null ? ping.getStatus() : ping.getDetail());
            Status next = new Status(
                    networkOk,
                    networkDetail,
                    storageProblem.isEmpty(),
                    storageProblem.orElse(storageRoot + " readable"),
                    started,
                    Instant.now());
            publish(next);
            return next;
        });
        return running;
    }

    private void publish(Status next) {
        Status previous = current;
        current = next;
        if (previous.networkOk() != next.networkOk() || previous.storageOk() != next.storageOk()) {
            if (next.ok()) {
                LOG.info("Self-check passed: {}", next.summary());
            } else {
                LOG.warn("Self-check failed: {}; affected probe parts are answered ERROR", next.summary());
            }
        }
    }
}
