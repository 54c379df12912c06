package io.hostwatch.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.storage.StorageHeartbeat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageHeartbeatWriterTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final CountingListener listener = new CountingListener();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private StorageHeartbeatWriter writer(Path root, Executor executor) {
        return new StorageHeartbeatWriter(root, "h1", "inst-1", executor, TIMEOUT, true, listener);
    }

    private static StorageHeartbeat read(StorageHeartbeatWriter writer) throws Exception {
        return StorageHeartbeat.parse(Files.readAllBytes(writer.file()));
    }

    @Test
    void shouldWriteParseableFileWithIncreasingSequence(@TempDir Path root) throws Exception {
        // given
        StorageHeartbeatWriter writer = writer(root, Runnable::run);

        // when
        writer.tick(false, System.nanoTime());
        writer.tick(true, System.nanoTime());

        // then
        StorageHeartbeat written = read(writer);
        assertThat(writer.file()).isEqualTo(root.resolve("hostwatch").resolve("h1.hb"));
        assertThat(written.host()).isEqualTo("h1");
        assertThat(written.agentInstance()).isEqualTo("inst-1");
        assertThat(written.storageSequence()).isEqualTo(1);
        assertThat(written.isolated()).isTrue();
        assertThat(writer.snapshot(System.nanoTime())).isEqualTo(new StorageHeartbeatWriter.Snapshot(1, true));
    }

    @Test
    void shouldContinueSequenceOfPreviousInstance(@TempDir Path root) throws Exception {
        // given
        Files.createDirectories(root.resolve("hostwatch"));
        Files.write(StorageHeartbeat.file(root, "h1"), new StorageHeartbeat("h1", "old", 41, 0, false).toBytes());

        // when
        StorageHeartbeatWriter.Snapshot snapshot = writer(root, Runnable::run).tick(false, System.nanoTime());

        // then
        assertThat(snapshot.storageSequence()).isEqualTo(42);
        assertThat(read(writer(root, Runnable::run)).agentInstance()).isEqualTo("inst-1");
    }

    @Test
    void shouldContinueSequenceWhenReadingPreviousFileFailsOnce(@TempDir Path root) throws Exception {
        // given: the first read fails as a stale NFS handle does, the retry works
        writePrevious(root, 41);
        AtomicInteger reads = new AtomicInteger();
        StorageHeartbeatWriter writer =
                new StorageHeartbeatWriter(root, "h1", "inst-1", Runnable::run, TIMEOUT, true, listener, file -> {
                    if (reads.incrementAndGet() == 1) {
                        throw new IOException("Stale file handle");
                    }
                    return Files.readAllBytes(file);
                });

        // when
        StorageHeartbeatWriter.Snapshot snapshot = writer.tick(false, System.nanoTime());

        // then
        assertThat(snapshot).isEqualTo(new StorageHeartbeatWriter.Snapshot(42, true));
        assertThat(reads).hasValue(2);
    }

    @Test
    void shouldStartAboveAnySequenceWhenPreviousFileStaysUnreadable(@TempDir Path root) throws Exception {
        // given: a file is there, but every read fails
        writePrevious(root, 41);
        StorageHeartbeatWriter writer =
                new StorageHeartbeatWriter(root, "h1", "inst-1", Runnable::run, TIMEOUT, true, listener, file -> {
                    throw new IOException("Input/output error");
                });
        long before = System.currentTimeMillis();

        // when
        StorageHeartbeatWriter.Snapshot first = writer.tick(false, System.nanoTime());
        StorageHeartbeatWriter.Snapshot second = writer.tick(false, System.nanoTime());

        // then: not 0, but above wall-clock millis (never reached by counting from 0), then one per tick
        assertThat(first.storageSequence()).isGreaterThan(before);
        assertThat(second.storageSequence()).isEqualTo(first.storageSequence() + 1);
        assertThat(read(writer).storageSequence()).isEqualTo(second.storageSequence());
    }

    @Test
    void shouldStartAboveAnySequenceWhenPreviousFileIsCorrupt(@TempDir Path root) throws Exception {
        // given
        Files.createDirectories(root.resolve("hostwatch"));
        Files.writeString(StorageHeartbeat.file(root, "h1"), "not a heartbeat", StandardCharsets.UTF_8);
        long before = System.currentTimeMillis();

        // when
        StorageHeartbeatWriter.Snapshot snapshot = writer(root, Runnable::run).tick(false, System.nanoTime());

        // then
        assertThat(snapshot.storageSequence()).isGreaterThan(before);
        assertThat(read(writer(root, Runnable::run)).storageSequence()).isEqualTo(snapshot.storageSequence());
    }

    @Test
    void shouldContinueSequenceOfFileThatAppearsWhenStorageIsMountedAfterStart(@TempDir Path dir) throws Exception {
        // given: the storage is not mounted yet when the agent starts
        Path root = dir.resolve("not-mounted-yet");
        StorageHeartbeatWriter writer = writer(root, Runnable::run);
        assertThat(writer.tick(false, System.nanoTime()).writeOk()).isFalse();

        // when: it is mounted, with the file an earlier instance wrote
        Files.createDirectory(root);
        writePrevious(root, 41);
        StorageHeartbeatWriter.Snapshot snapshot = writer.tick(false, System.nanoTime());

        // then
        assertThat(snapshot).isEqualTo(new StorageHeartbeatWriter.Snapshot(42, true));
    }

    private static void writePrevious(Path root, long sequence) throws IOException {
        Files.createDirectories(root.resolve("hostwatch"));
        Files.write(StorageHeartbeat.file(root, "h1"), new StorageHeartbeat("h1", "old", sequence, 0, false).toBytes());
    }

    @Test
    void shouldReportFailureWhenStorageRootIsMissingAndRecoverWhenItAppears(@TempDir Path dir) throws Exception {
        // given
        Path root = dir.resolve("not-mounted");
        StorageHeartbeatWriter writer = writer(root, Runnable::run);

        // when
        StorageHeartbeatWriter.Snapshot failed = writer.tick(false, System.nanoTime());
        Files.createDirectory(root);
        StorageHeartbeatWriter.Snapshot recovered = writer.tick(false, System.nanoTime());

        // then
        assertThat(failed).isEqualTo(new StorageHeartbeatWriter.Snapshot(-1, false));
        assertThat(Files.exists(root.resolve("hostwatch"))).isTrue();
        assertThat(recovered).isEqualTo(new StorageHeartbeatWriter.Snapshot(0, true));
        assertThat(listener.failed.get()).isEqualTo(1);
    }

    @Test
    void shouldNotBlockAndReportNotOkWhileAWriteHangs(@TempDir Path root) throws Exception {
        // given: the only storage thread is stuck, as in a hung NFS write
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        StorageHeartbeatWriter writer = writer(root, pool);
        long start = System.nanoTime();

        // when
        StorageHeartbeatWriter.Snapshot first = writer.tick(false, start);
        StorageHeartbeatWriter.Snapshot later = writer.tick(false, start + TIMEOUT.toNanos() + 1);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        // then
        assertThat(tookMillis).isLessThan(TIMEOUT.toMillis());
        assertThat(first.writeOk()).isTrue();
        assertThat(later).isEqualTo(new StorageHeartbeatWriter.Snapshot(-1, false));
        assertThat(listener.skipped.get()).isEqualTo(1);

        // and when the storage comes back, the write completes and the next one is in time again
        release.countDown();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> writer.snapshot(System.nanoTime()).storageSequence() == 0);
        writer.tick(false, System.nanoTime());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> writer.snapshot(System.nanoTime()).equals(new StorageHeartbeatWriter.Snapshot(1, true)));
    }

    @Test
    void shouldReportNotOkWhenExecutorRejects(@TempDir Path root) {
        StorageHeartbeatWriter writer = writer(root, command -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        });

        assertThat(writer.tick(false, System.nanoTime())).isEqualTo(new StorageHeartbeatWriter.Snapshot(-1, false));
    }

    static final class CountingListener implements StorageHeartbeatWriter.Listener {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final List<String> reasons = new ArrayList<>();

        @Override
        public void written(long nanos, boolean inTime) {
            ok.incrementAndGet();
        }

        @Override
        public synchronized void failed(String reason) {
            failed.incrementAndGet();
            reasons.add(reason);
        }

        @Override
        public void skippedWhileHung() {
            skipped.incrementAndGet();
        }
    }
}
