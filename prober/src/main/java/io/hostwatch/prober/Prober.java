package io.hostwatch.prober;

import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.StorageOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Answers one probe request: ping and storage check run concurrently, each bounded by the deadline, and the
 * result always completes (never exceptionally) with exactly one {@link ProbeResult}. A part that did not finish in
 * time is ERROR; a part whose self-check fails is ERROR without being tried; a FAILED ping stands only if a
 * self-check started after the ping passed.
 */
final class Prober {
    private final String proberId;
    private final Pinger pinger;
    private final StorageChecker storage;
    private final SelfCheck selfCheck;
    private final ScheduledExecutorService timer;
    private final Duration deadline;
    private final Clock clock;
    private final AllowedNetworks allowed;

    Prober(
            String proberId,
            Pinger pinger,
            StorageChecker storage,
            SelfCheck selfCheck,
            ScheduledExecutorService timer,
            Duration deadline,
            Clock clock) {
        this(proberId, pinger, storage, selfCheck, timer, deadline, clock, AllowedNetworks.ANY);
    }

    Prober(
            String proberId,
            Pinger pinger,
            StorageChecker storage,
            SelfCheck selfCheck,
            ScheduledExecutorService timer,
            Duration deadline,
            Clock clock,
            AllowedNetworks allowed) {
        this.allowed = allowed;
        this.proberId = proberId;
        this.pinger = pinger;
        this.storage = storage;
        this.selfCheck = selfCheck;
        this.timer = timer;
        this.deadline = deadline;
        this.clock = clock;
    }

    CompletableFuture<ProbeResult> probe(ProbeRequest request) {
        long startNanos = System.nanoTime();
        Deadline due = new Deadline(startNanos + deadline.toNanos());
        SelfCheck.Status status = selfCheck.current();
        Optional<String> refused = allowed.refusal(request.getAddress());
        CompletableFuture<PingOutcome> ping = refused.isPresent()
                ? CompletableFuture.completedFuture(Outcomes.pingError(pinger.method(), refused.get()))
                : status.networkOk()
                        ? within(
                                confirmed(safePing(request.getAddress(), due), startNanos),
                                Outcomes.pingError(
                                        pinger.method(),
                                        "ping did not finish within the " + deadline.toMillis() + " ms deadline"))
                        : CompletableFuture.completedFuture(Outcomes.pingError(
                                pinger.method(), "prober self-check failed: " + status.networkDetail()));
        CompletableFuture<StorageOutcome> stored = status.storageOk()
                ? within(
                        safeStorage(request, due),
                        Outcomes.storageError(
                                "storage check did not finish within the " + deadline.toMillis() + " ms deadline"))
                : CompletableFuture.completedFuture(
                        Outcomes.storageError("prober self-check failed: " + status.storageDetail()));
        return ping.thenCombine(stored, (p, s) -> result(request, p, s));
    }

    /** The answer to a request too old to be worth probing: both parts ERROR, at once. */
    ProbeResult expired(ProbeRequest request, Duration age) {
        String detail = "request was " + age.toMillis() + " ms old when read: not probed";
        return result(request, Outcomes.pingError(pinger.method(), detail), Outcomes.storageError(detail));
    }

    private ProbeResult result(ProbeRequest request, PingOutcome ping, StorageOutcome storageOutcome) {
        return ProbeResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setHost(request.getHost())
                .setProber(proberId)
                .setPing(ping)
                .setStorage(storageOutcome)
                .setProbedAt(clock.instant())
                .build();
    }

    private CompletableFuture<PingOutcome> safePing(String address, Deadline due) {
        try {
            return pinger.ping(address, due);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Outcomes.pingError(pinger.method(), Failures.describe(e)));
        }
    }

    private CompletableFuture<StorageOutcome> safeStorage(ProbeRequest request, Deadline due) {
        try {
            Duration silence = Duration.between(request.getLastHeartbeatAt(), request.getRequestedAt());
            return storage.check(
                    request.getHost(),
                    request.getLastStorageSequence(),
                    silence.isNegative() ? Duration.ZERO : silence,
                    due);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Outcomes.storageError(Failures.describe(e)));
        }
    }

    /** FAILED is evidence only if the prober's own network was verified after the ping began. */
    private CompletableFuture<PingOutcome> confirmed(CompletableFuture<PingOutcome> ping, long startNanos) {
        return ping.thenCompose(outcome -> {
            if (outcome.getStatus() != PingStatus.FAILED) {
                return CompletableFuture.completedFuture(outcome);
            }
            return selfCheck
                    .passedSince(startNanos)
                    .thenApply(check -> check.networkOk()
                            ? outcome
                            : Outcomes.pingError(
                                    outcome.getMethod(),
                                    "no answer, but the prober self-check failed " + "meanwhile: "
                                            + check.networkDetail()));
        });
    }

    private <T> CompletableFuture<T> within(CompletableFuture<T> part, T fallback) {
        CompletableFuture<T> bounded = new CompletableFuture<>();
        part.whenComplete((value, error) -> {
            if (error == null) {
                bounded.complete(value);
            } else {
                bounded.complete(fallback);
            }
        });
        timer.schedule(() -> bounded.complete(fallback), deadline.toMillis(), TimeUnit.MILLISECONDS);
        return bounded;
    }
}
