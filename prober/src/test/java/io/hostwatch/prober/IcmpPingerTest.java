package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The system ping against 127.0.0.1 only. */
@Timeout(30)
class IcmpPingerTest {
    private AddressResolver resolver;
    private IcmpPinger pinger;

    @BeforeEach
    void setUp() {
        IcmpPinger.unusableReason("ping").ifPresent(reason -> Assumptions.abort("Skipped: " + reason));
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
        IcmpPinger patient = new IcmpPinger("ping", 8, Duration.ofMillis(200), Duration.ofMillis(500), 1, resolver);

        // when
        long start = System.nanoTime();
        PingOutcome outcome = patient.ping("127.0.0.1").get(5, TimeUnit.SECONDS);
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
        PingOutcome outcome = pinger.ping("no-such-host.test").get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(outcome.getDetail()).contains("cannot resolve 'no-such-host.test'");
    }

    @Test
    void shouldReportWhyWhenThePingCommandIsMissing() {
        assertThat(IcmpPinger.unusableReason("/nonexistent/ping")).hasValueSatisfying(reason ->
                assertThat(reason).contains("iputils-ping"));
    }
}
