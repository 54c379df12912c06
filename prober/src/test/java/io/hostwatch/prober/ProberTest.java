package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.storage.StorageHeartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's rules with a scripted pinger (real pings are in TcpPingerTest, IcmpPingerTest and ProberIT): deadline,
 * self-check gating, FAILED confirmation.
 */
@Timeout(30)
class ProberTest {
    private static final Duration DEADLINE = Duration.ofMillis(300);

    @TempDir
    Path root;

    private ScheduledExecutorService timer;
    private ExecutorService io;
    private final ScriptedPinger pinger = new ScriptedPinger();
    private final Deque<PingOutcome> referenceAnswers = new ArrayDeque<>();

    @BeforeEach
    void setUp() throws IOException {
        timer = Executors.newScheduledThreadPool(1);
        io = Executors.newFixedThreadPool(2);
        Files.createDirectories(root.resolve(StorageHeartbeat.DIRECTORY));
        Files.write(StorageHeartbeat.file(root, "h1"), new StorageHeartbeat("h1", "a", 20, 1L, false).toBytes());
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
        io.shutdownNow();
    }

    @Test
    void shouldAnswerWithinTheDeadlineWithErrorForAPingThatNeverFinishes() throws Exception {
        // given
        Prober prober = prober(ok(), ok());
        pinger.next = new CompletableFuture<>(); // never completes

        // when
        ProbeResult result = prober.probe(request("h1", 10)).get(5, TimeUnit.SECONDS);

        // then
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(result.getPing().getDetail()).contains("deadline");
        assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.FRESH);
        assertThat(result.getRequestId()).isEqualTo("r-h1");
        assertThat(result.getProber()).isEqualTo("p-test");
    }

    @Test
    void shouldAnswerErrorWithoutPingingWhenTheSelfCheckFailed() throws Exception {
        // given the reference address does not answer
        Prober prober = prober(failed());

        // when
        ProbeResult result = prober.probe(request("h1", 10)).get(5, TimeUnit.SECONDS);

        // then
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(result.getPing().getDetail()).contains("self-check failed");
        assertThat(pinger.calls.get()).isZero();
        assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.FRESH);
    }

    @Test
    void shouldTurnFailedIntoErrorWhenTheSelfCheckFailsAfterThePingStarted() throws Exception {
        // given the self-check passed at start-up, the host does not answer, and the next self-check fails
        Prober prober = prober(ok(), failed());
        pinger.next = CompletableFuture.completedFuture(Outcomes.pingFailed(PingMethod.ICMP, "no echo reply"));

        // when
        ProbeResult result = prober.probe(request("h1", 10)).get(5, TimeUnit.SECONDS);

        // then
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(result.getPing().getDetail()).contains("self-check failed meanwhile");
    }

    @Test
    void shouldKeepFailedWhenASelfCheckAfterThePingPassed() throws Exception {
        // given
        Prober prober = prober(ok(), ok());
        pinger.next = CompletableFuture.completedFuture(Outcomes.pingFailed(PingMethod.ICMP, "no echo reply"));

        // when
        ProbeResult result = prober.probe(request("h1", 10)).get(5, TimeUnit.SECONDS);

        // then
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(referenceAnswers).isEmpty(); // the confirming self-check really ran
    }

    @Test
    void shouldAnswerStorageErrorWhenTheStorageRootFailsTheSelfCheck() throws Exception {
        // given
        Prober prober = new Prober(
                "p-test",
                pinger,
                new StorageChecker(
                        root.resolve("gone"),
                        io,
                        timer,
                        new StorageTiming(Duration.ofMillis(10), Duration.ofMillis(20))),
                selfCheck(root.resolve("gone"), ok()),
                timer,
                DEADLINE,
                Clock.systemUTC());
        pinger.next = CompletableFuture.completedFuture(Outcomes.pingOk(PingMethod.ICMP, 10L, null));

        // when
        ProbeResult result = prober.probe(request("h1", 10)).get(5, TimeUnit.SECONDS);

        // then
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.OK);
        assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(result.getStorage().getDetail()).contains("self-check failed");
    }

    @Test
    void shouldNeverPingAnAddressOutsideTheAllowedNetworks() throws Exception {
        // given
        Prober prober = new Prober(
                "p-test",
                pinger,
                new StorageChecker(root, io, timer, new StorageTiming(Duration.ofMillis(10), Duration.ofMillis(20))),
                selfCheck(root),
                timer,
                DEADLINE,
                Clock.systemUTC(),
                AllowedNetworks.parse(java.util.List.of("10.20.0.0/16")));
        pinger.next = CompletableFuture.completedFuture(Outcomes.pingOk(PingMethod.ICMP, 10L, null));

        // when the request names 198.18.0.2
        ProbeResult result = prober.probe(request("h1", 10)).get(5, TimeUnit.SECONDS);

        // then
        assertThat(pinger.calls).hasValue(0);
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(result.getPing().getDetail()).contains("outside probe.allowed.networks");
    }

    private Prober prober(PingOutcome... reference) {
        return new Prober(
                "p-test",
                pinger,
                new StorageChecker(root, io, timer, new StorageTiming(Duration.ofMillis(10), Duration.ofMillis(20))),
                selfCheck(root, reference),
                timer,
                DEADLINE,
                Clock.systemUTC());
    }

    private SelfCheck selfCheck(Path storageRoot, PingOutcome... reference) {
        referenceAnswers.addAll(java.util.List.of(reference));
        SelfCheck check = new SelfCheck(
                "ref",
                () -> CompletableFuture.completedFuture(referenceAnswers.isEmpty() ? ok() : referenceAnswers.poll()),
                storageRoot,
                io,
                timer,
                Duration.ofHours(1),
                Duration.ofMillis(200));
        check.start();
        return check;
    }

    private static PingOutcome ok() {
        return Outcomes.pingOk(PingMethod.ICMP, 1L, null);
    }

    private static PingOutcome failed() {
        return Outcomes.pingFailed(PingMethod.ICMP, "no echo reply");
    }

    private static ProbeRequest request(String host, long lastStorageSequence) {
        return ProbeRequest.newBuilder()
                .setRequestId("r-" + host)
                .setHost(host)
                .setAddress("198.18.0.2")
                .setAttempt(1)
                .setLastHeartbeatAt(Instant.EPOCH)
                .setLastStorageSequence(lastStorageSequence)
                .setRequestedAt(Instant.EPOCH)
                .build();
    }

    /** Answers each ping with whatever the test put in {@link #next}. */
    private static final class ScriptedPinger implements Pinger {
        final AtomicInteger calls = new AtomicInteger();
        volatile CompletableFuture<PingOutcome> next = new CompletableFuture<>();

        @Override
        public CompletableFuture<PingOutcome> ping(String address, Deadline deadline) {
            calls.incrementAndGet();
            return next;
        }

        @Override
        public PingMethod method() {
            return PingMethod.ICMP;
        }

        @Override
        public void close() {}
    }
}
