package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.storage.StorageHeartbeat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StorageCheckerTest {
    private static final Duration RECHECK = Duration.ofMillis(20);
    /** A request sent as the host fell silent: only the reads can tell. */
    private static final Duration NO_SILENCE = Duration.ZERO;

    private static final Duration LONG_SILENCE = RECHECK.multipliedBy(3);
    private static final StorageTiming TIMING = new StorageTiming(RECHECK, LONG_SILENCE);
    private static final Deadline LATER = Deadline.in(Duration.ofHours(1));

    @TempDir
    Path root;

    private ScheduledThreadPoolExecutor timer;
    private CountDownLatch secondReadMayRun;
    private StorageChecker checker;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(root.resolve(StorageHeartbeat.DIRECTORY));
        timer = new ScheduledThreadPoolExecutor(1);
        // the timer's only thread waits for the test: the second read happens exactly when the test says so
        secondReadMayRun = new CountDownLatch(1);
        timer.execute(() -> {
            try {
                secondReadMayRun.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        checker = new StorageChecker(root, Runnable::run, timer, TIMING);
    }

    @AfterEach
    void tearDown() {
        secondReadMayRun.countDown();
        timer.shutdownNow();
    }

    @Test
    void shouldBeFreshAtOnceWhenSequenceMovedOnByThree() throws Exception {
        // given
        write("h1", "agent-a", 13, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, NO_SILENCE, LATER);

        // then: no second read needed
        assertThat(outcome).isCompleted();
        assertThat(outcome.get().getStatus()).isEqualTo(StorageStatus.FRESH);
        assertThat(outcome.get().getSequence()).isEqualTo(13L);
    }

    @Test
    void shouldReadTwiceAndBeStaleWhenAKilledAgentsLastHeartbeatWasLostAfterItsWriteLanded() throws Exception {
        // given: heartbeat 10 arrived; 11 landed with it, 12 landed but the heartbeat saying 11 died in the buffer
        write("h1", "agent-a", 12, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, LONG_SILENCE, LATER);

        // then: two past is not proof of life; the second read sees no write
        assertThat(outcome).isNotDone();
        secondReadMayRun.countDown();
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.STALE);
    }

    @Test
    void shouldBeFreshWhenTheSecondReadSeesTheSequenceAdvance() throws Exception {
        // given: only one write since the detector's last view, so the first read is not conclusive
        write("h1", "agent-a", 11, false);
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, NO_SILENCE, LATER);
        assertThat(outcome).isNotDone();

        // when the agent writes again before the second read
        write("h1", "agent-a", 12, false);
        secondReadMayRun.countDown();

        // then
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.FRESH);
        assertThat(outcome.get().getSequence()).isEqualTo(12L);
    }

    @Test
    void shouldBeStaleWhenTheSequenceDoesNotAdvanceBetweenReads() throws Exception {
        // given
        write("h1", "agent-a", 10, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, NO_SILENCE, LATER);
        secondReadMayRun.countDown();

        // then
        StorageOutcome result = outcome.get(5, TimeUnit.SECONDS);
        assertThat(result.getStatus()).isEqualTo(StorageStatus.STALE);
        assertThat(result.getSequence()).isEqualTo(10L);
        assertThat(result.getDetail()).contains("did not advance");
    }

    @Test
    void shouldBeStaleAtOnceWhenNothingWasWrittenDuringTheStaleSilence() throws Exception {
        // given
        write("h1", "agent-a", 10, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, LONG_SILENCE, LATER);

        // then: no second read needed
        assertThat(outcome).isCompleted();
        assertThat(outcome.get().getStatus()).isEqualTo(StorageStatus.STALE);
        assertThat(outcome.get().getDetail()).contains("not written since the last network heartbeat");
    }

    @Test
    void shouldBeStaleAtOnceWhenOnlyTheWriteInFlightWithTheLastHeartbeatLandedDuringTheSilence() throws Exception {
        // given: the heartbeat said 10, the write it started (11) landed after it, none since
        write("h1", "agent-a", 11, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, LONG_SILENCE, LATER);

        // then: no second read needed
        assertThat(outcome).isCompleted();
        assertThat(outcome.get().getStatus()).isEqualTo(StorageStatus.STALE);
        assertThat(outcome.get().getSequence()).isEqualTo(11L);
        assertThat(outcome.get().getDetail()).contains("written once since the last network heartbeat");
    }

    @Test
    void shouldStillReadTwiceWhenTheFileIsBehindTheHeartbeatedSequence() throws Exception {
        // given: older than what the heartbeat reported, so not this agent's last write: only a second read tells
        write("h1", "agent-a", 9, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, LONG_SILENCE, LATER);

        // then
        assertThat(outcome).isNotDone();
        write("h1", "agent-a", 10, false);
        secondReadMayRun.countDown();
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.FRESH);
    }

    @Test
    void shouldStillReadTwiceWhenTheSilenceIsShorterThanTheStaleSilence() throws Exception {
        // given
        write("h1", "agent-a", 10, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, LONG_SILENCE.minusMillis(1), LATER);

        // then
        assertThat(outcome).isNotDone();
        secondReadMayRun.countDown();
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.STALE);
    }

    @Test
    void shouldRecheckWhenTheDetectorDidNotKnowASequence() throws Exception {
        // given a file far ahead of nothing: -1 means unknown, so only a second read can decide
        write("h1", "agent-a", 500, false);

        // when
        CompletableFuture<StorageOutcome> outcome =
                checker.check("h1", StorageClassifier.UNKNOWN_SEQUENCE, NO_SILENCE, LATER);

        // then
        assertThat(outcome).isNotDone();
        secondReadMayRun.countDown();
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.STALE);
    }

    @Test
    void shouldBeFreshWhenANewAgentInstanceRewroteTheFileBetweenReads() throws Exception {
        // given: the agent restarted, its sequence started again below the old one
        write("h1", "agent-a", 40, false);
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 40, NO_SILENCE, LATER);

        // when
        write("h1", "agent-b", 1, false);
        secondReadMayRun.countDown();

        // then
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.FRESH);
        assertThat(outcome.get().getDetail()).contains("new agent instance");
    }

    @Test
    void shouldReportTheAgentsIsolationMarker() throws Exception {
        // given
        write("h1", "agent-a", 30, true);

        // when
        StorageOutcome outcome = checker.check("h1", 20, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.FRESH);
        assertThat(outcome.getSelfIsolated()).isTrue();
    }

    @Test
    void shouldBeMissingWhenTheHostNeverWroteAFile() throws Exception {
        // when
        StorageOutcome outcome = checker.check("h-never", 3, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.MISSING);
        assertThat(outcome.getDetail()).contains("h-never.hb");
    }

    @Test
    void shouldBeErrorWithDetailWhenTheFileIsTorn() throws Exception {
        // given: a write cut off before the end marker
        byte[] whole = new StorageHeartbeat("h1", "agent-a", 12, 1L, false).toBytes();
        Files.write(StorageHeartbeat.file(root, "h1"), java.util.Arrays.copyOf(whole, whole.length - 6));

        // when
        StorageOutcome outcome = checker.check("h1", 3, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.getDetail()).contains("corrupt").contains("truncated");
    }

    @Test
    void shouldBeErrorWhenTheFileIsForeignContent() throws Exception {
        // given
        Files.writeString(StorageHeartbeat.file(root, "h1"), "hello\nend\n", StandardCharsets.UTF_8);

        // when
        StorageOutcome outcome = checker.check("h1", 3, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.getDetail()).contains("missing field");
    }

    @Test
    void shouldBeErrorWhenTheFileNamesAnotherHost() throws Exception {
        // given
        Files.write(StorageHeartbeat.file(root, "h1"), new StorageHeartbeat("h2", "a", 50, 1L, false).toBytes());

        // when
        StorageOutcome outcome = checker.check("h1", 3, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.getDetail()).contains("names host 'h2'");
    }

    @Test
    void shouldBeErrorNotMissingWhenTheStorageRootIsUnreadable() throws Exception {
        // given a root that is not there (an unmounted share): the file is absent, but that proves nothing
        StorageChecker unmounted = new StorageChecker(root.resolve("not-mounted"), Runnable::run, timer, TIMING);

        // when
        StorageOutcome outcome = unmounted.check("h1", 3, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.getDetail()).contains("storage root unreadable");
    }

    @Test
    void shouldBeErrorNotMissingWhenTheHostwatchDirectoryIsAbsent() throws Exception {
        // given an empty mount point
        Path empty = Files.createDirectory(root.resolve("empty-mount"));
        StorageChecker checkerOfEmpty = new StorageChecker(empty, Runnable::run, timer, TIMING);

        // when
        StorageOutcome outcome =
                checkerOfEmpty.check("h1", 3, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.getDetail()).contains("not mounted?");
    }

    @Test
    void shouldBeErrorWhenTheHostIdWouldEscapeTheDirectory() throws Exception {
        // when
        StorageOutcome outcome =
                checker.check("../../etc/passwd", 3, NO_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.getDetail()).contains("cannot name a heartbeat file");
    }

    @Test
    void shouldNotReadWhenTheDeadlinePassedWhileTheReadWaitedForAStorageThread() throws Exception {
        // given a file that would read FRESH, and the only storage thread busy (a hung NFS read)
        write("h1", "agent-a", 13, false);
        ExecutorService io = Executors.newSingleThreadExecutor();
        CountDownLatch hungReadReturns = new CountDownLatch(1);
        io.execute(() -> awaitQuietly(hungReadReturns));
        Deadline deadline = Deadline.in(Duration.ofMillis(50));
        CompletableFuture<StorageOutcome> outcome =
                new StorageChecker(root, io, timer, TIMING).check("h1", 10, NO_SILENCE, deadline);

        // when the thread is free only after the deadline
        awaitPassed(deadline);
        hungReadReturns.countDown();

        // then the queued read is skipped
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.get().getDetail()).contains("not read: the deadline passed");
        io.shutdownNow();
    }

    @Test
    void shouldNotReadAgainWhenTheDeadlinePassedBeforeTheRecheck() throws Exception {
        // given a first read that needs a second one, due after the deadline
        write("h1", "agent-a", 11, false);
        Deadline deadline = Deadline.in(Duration.ofMillis(50));
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, NO_SILENCE, deadline);
        awaitPassed(deadline);

        // when the agent writes again (FRESH if read) and the recheck runs
        write("h1", "agent-a", 12, false);
        secondReadMayRun.countDown();

        // then
        assertThat(outcome.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(outcome.get().getDetail()).contains("not read: the deadline passed");
    }

    private static void awaitPassed(Deadline deadline) {
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - deadline.nanos() >= 0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldBeErrorNotStaleWhenAnOldFileStaysBehindTheHeartbeatedSequence() throws Exception {
        // given: another host wrote an old copy of h1's file over it
        write("h1", "agent-a", 9, false);

        // when
        CompletableFuture<StorageOutcome> outcome = checker.check("h1", 10, LONG_SILENCE, LATER);
        secondReadMayRun.countDown();

        // then
        StorageOutcome read = outcome.get(5, TimeUnit.SECONDS);
        assertThat(read.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(read.getDetail()).contains("behind");
    }

    @Test
    void shouldBeErrorWhenAFileIsAuthenticatedWithAnotherHostsKey() throws Exception {
        // given
        io.hostwatch.auth.MasterKey master = io.hostwatch.auth.KeyFiles.generateMaster("k1");
        StorageChecker authenticating = new StorageChecker(
                root,
                Runnable::run,
                timer,
                TIMING,
                new StorageAuth(io.hostwatch.auth.AuthMode.REQUIRED, new io.hostwatch.auth.Verifier(List.of(master))));
        writeFile(new StorageHeartbeat("h1", "agent-a", 10, 0, false).authenticated(master.derive("h2")));

        // when
        StorageOutcome forged =
                authenticating.check("h1", 10, LONG_SILENCE, LATER).get(5, TimeUnit.SECONDS);
        writeFile(new StorageHeartbeat("h1", "agent-a", 10, 0, false));
        StorageOutcome unsigned =
                authenticating.check("h1", 10, LONG_SILENCE, LATER).get(5, TimeUnit.SECONDS);
        writeFile(new StorageHeartbeat("h1", "agent-a", 10, 0, false).authenticated(master.derive("h1")));
        StorageOutcome own = authenticating.check("h1", 10, LONG_SILENCE, LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(forged.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(forged.getDetail()).contains("authenticator does not verify");
        assertThat(unsigned.getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(unsigned.getDetail()).contains("no authenticator");
        assertThat(own.getStatus()).isEqualTo(StorageStatus.STALE);
    }

    private void writeFile(StorageHeartbeat heartbeat) throws IOException {
        Files.write(StorageHeartbeat.file(root, heartbeat.host()), heartbeat.toBytes());
    }

    private void write(String host, String agent, long sequence, boolean isolated) throws IOException {
        Path file = StorageHeartbeat.file(root, host);
        Path temp = file.resolveSibling(host + ".tmp");
        Files.write(temp, new StorageHeartbeat(host, agent, sequence, System.currentTimeMillis(), isolated).toBytes());
        Files.move(
                temp,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
