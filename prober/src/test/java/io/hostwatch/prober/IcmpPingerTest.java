package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.testkit.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The system ping against 127.0.0.1 only; the tests that run the real one need it on the PATH. */
@Timeout(30)
class IcmpPingerTest {
    private static final Deadline LATER = Deadline.in(Duration.ofHours(1));

    @TempDir
    Path dir;

    private AddressResolver resolver;
    private IcmpPinger pinger;

    @BeforeEach
    void setUp() {
        resolver = new AddressResolver(1);
        pinger = new IcmpPinger("ping", 3, Duration.ofMillis(200), Duration.ofMillis(500), 4, resolver);
    }

    @AfterEach
    void tearDown() {
        if (pinger != null) {
            pinger.close();
            resolver.close();
        }
    }

    @Test
    void shouldBeOkWithRttAtTheFirstReplyWhenLoopbackAnswers() throws Exception {
        // given 8 attempts 200 ms apart: running them all would take at least 1.4 s
        String ping = ExternalTools.system().requireTool("ping").toString();
        IcmpPinger patient = new IcmpPinger(ping, 8, Duration.ofMillis(200), Duration.ofMillis(500), 1, resolver);

        // when
        long start = System.nanoTime();
        PingOutcome outcome = patient.ping("127.0.0.1", LATER).get(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        patient.close();

        // then: OK at the first reply, ping killed
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.OK);
        assertThat(outcome.getMethod()).isEqualTo(PingMethod.ICMP);
        assertThat(outcome.getRttMicros()).isNotNull().isGreaterThanOrEqualTo(0L);
        assertThat(millis).isLessThan(1200);
    }

    @Test
    void shouldBeErrorWithoutRunningPingWhenTheAddressIsInvalid() throws Exception {
        // when
        PingOutcome outcome = pinger.ping("no-such-host.test", LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(outcome.getDetail()).contains("cannot resolve 'no-such-host.test'");
    }

    @Test
    void shouldNotRunAQueuedPingWhenItsDeadlinePassedWhileItWaitedForASlot() throws Exception {
        // given one slot and a stand-in for ping that answers after 300 ms and logs each run
        Path runs = dir.resolve("runs");
        Path command = dir.resolve("slow-ping");
        Files.writeString(
                command,
                "#!/bin/sh\necho run >> " + runs + "\nsleep 0.3\n"
                        + "echo '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.05 ms'\n");
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
        IcmpPinger oneSlot =
                new IcmpPinger(command.toString(), 1, Duration.ofMillis(200), Duration.ofMillis(500), 1, resolver);

        // when a second ping, due in 100 ms, waits for the first
        CompletableFuture<PingOutcome> first = oneSlot.ping("127.0.0.1", LATER);
        CompletableFuture<PingOutcome> late = oneSlot.ping("127.0.0.1", Deadline.in(Duration.ofMillis(100)));

        // then it is not run at all
        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.OK);
        PingOutcome skipped = late.get(5, TimeUnit.SECONDS);
        assertThat(skipped.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(skipped.getDetail()).contains("deadline passed while the ping waited");
        assertThat(Files.readAllLines(runs)).hasSize(1);
        oneSlot.close();
    }

    @Test
    void shouldReportWhyWhenThePingCommandIsMissing() {
        assertThat(IcmpPinger.unusableReason("/nonexistent/ping"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("iputils-ping"));
    }
}
