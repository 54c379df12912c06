package io.hostwatch.prober;

import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.storage.CorruptStorageHeartbeatException;
import io.hostwatch.storage.StorageHeartbeat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a host's storage heartbeat file ({@code <root>/hostwatch/<host>.hb}) on the storage pool, a second time
 * after the recheck delay when the first read is not conclusive, and classifies with {@link StorageClassifier}.
 * No read error escapes as an exception: each becomes a classified outcome. A read that has not started by the
 * probe's deadline is skipped: its answer was already published.
 */
final class StorageChecker {
    /** A heartbeat file is ~150 bytes; anything far larger is not one, and is not read into memory whole. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private final Path root;
    private final Executor io;
    private final ScheduledExecutorService timer;
    private final StorageTiming timing;
    private final StorageAuth auth;

    StorageChecker(Path root, Executor io, ScheduledExecutorService timer, StorageTiming timing) {
        this(root, io, timer, timing, StorageAuth.OFF);
    }

    StorageChecker(Path root, Executor io, ScheduledExecutorService timer, StorageTiming timing, StorageAuth auth) {
        this.auth = auth;
        this.root = root;
        this.io = io;
        this.timer = timer;
        this.timing = timing;
    }

    /** {@code silence}: how long the host had been silent when the detector asked (see {@link StorageClassifier}). */
    CompletableFuture<StorageOutcome> check(
            String host, long lastStorageSequence, Duration silence, Deadline deadline) {
        return readAsync(host, deadline)
                .thenCompose(first -> StorageClassifier.afterFirstRead(first, lastStorageSequence, silence, timing)
                        .map(CompletableFuture::completedFuture)
                        .orElseGet(() -> {
                            CompletableFuture<StorageRead> second = new CompletableFuture<>();
                            timer.schedule(
                                    () -> readAsync(host, deadline)
                                            .whenComplete((read, error) -> complete(second, read, error)),
                                    timing.recheckDelay().toMillis(),
                                    TimeUnit.MILLISECONDS);
                            return second.thenApply(read -> StorageClassifier.afterSecondRead(
                                    first, read, timing.recheckDelay(), lastStorageSequence));
                        }))
                .exceptionally(error -> Outcomes.storageError("storage check failed: " + Failures.describe(error)));
    }

    private static void complete(CompletableFuture<StorageRead> target, StorageRead read, Throwable error) {
        if (error != null) {
            target.completeExceptionally(error);
        } else {
            target.complete(read);
        }
    }

    private CompletableFuture<StorageRead> readAsync(String host, Deadline deadline) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> deadline.passed()
                            ? StorageRead.of(
                                    StorageRead.Kind.UNREADABLE,
                                    "not read: the deadline passed while the read waited for a storage thread")
                            : read(host),
                    io);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    StorageRead.of(StorageRead.Kind.UNREADABLE, "prober shutting down"));
        }
    }

    /** One synchronous read, classified. */
    StorageRead read(String host) {
        if (host == null
                || host.isEmpty()
                || host.equals(".")
                || host.equals("..")
                || host.contains("/")
                || host.contains("\\")
                || host.indexOf('\0') >= 0) {
            return StorageRead.of(StorageRead.Kind.INVALID_HOST, "host id '" + host + "' cannot name a heartbeat file");
        }
        Path file = StorageHeartbeat.file(root, host);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return rootProblem().orElse(StorageRead.of(StorageRead.Kind.MISSING, "no storage heartbeat file " + file));
        } catch (IOException e) {
            return rootProblem().orElse(StorageRead.of(StorageRead.Kind.UNREADABLE, file + ": " + e));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            return StorageRead.of(StorageRead.Kind.CORRUPT, file + " is larger than " + MAX_FILE_BYTES + " bytes");
        }
        StorageHeartbeat heartbeat;
        try {
            heartbeat = StorageHeartbeat.parse(bytes);
        } catch (CorruptStorageHeartbeatException e) {
            return StorageRead.of(StorageRead.Kind.CORRUPT, file + ": " + e.getMessage());
        }
        if (!host.equals(heartbeat.host())) {
            return StorageRead.of(StorageRead.Kind.CORRUPT, file + " names host '" + heartbeat.host() + "'");
        }
        java.util.Optional<String> refusal = auth.refusal(heartbeat);
        if (refusal.isPresent()) {
            return StorageRead.of(StorageRead.Kind.UNAUTHENTIC, file + ": " + refusal.get());
        }
        return StorageRead.ok(heartbeat);
    }

    /** A missing or unreadable file only says something about the host if the root itself is fine. */
    private java.util.Optional<StorageRead> rootProblem() {
        return StorageRoot.problem(root).map(problem -> StorageRead.of(StorageRead.Kind.ROOT_UNREADABLE, problem));
    }
}
