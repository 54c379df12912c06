package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Loopback only: 127.0.0.x addresses of this machine. */
@Timeout(30)
class TcpPingerTest {
    private ServerSocket listener;
    private AddressResolver resolver;
    private TcpPinger pinger;

    @BeforeEach
    void setUp() throws IOException {
        listener = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.2"));
        resolver = new AddressResolver(2);
        pinger = new TcpPinger(listener.getLocalPort(), 2, Duration.ofMillis(50), Duration.ofMillis(500), 4, resolver);
    }

    @AfterEach
    void tearDown() throws IOException {
        pinger.close();
        resolver.close();
        listener.close();
    }

    @Test
    void shouldBeOkWithRttWhenAListenerAccepts() throws Exception {
        // when
        PingOutcome outcome = pinger.ping("127.0.0.2").get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.OK);
        assertThat(outcome.getMethod()).isEqualTo(PingMethod.TCP);
        assertThat(outcome.getRttMicros()).isNotNull().isGreaterThanOrEqualTo(0L);
    }

    @Test
    void shouldBeOkWhenTheHostRefusesTheConnection() throws Exception {
        // given a loopback address with nothing on the port: the kernel answers with a reset
        // when
        PingOutcome outcome = pinger.ping("127.0.0.3").get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.OK);
        assertThat(outcome.getDetail()).contains("refused");
    }

    @Test
    void shouldResolveNamesAndReportErrorForBadAddresses() throws Exception {
        assertThat(pinger.ping("alive.test").get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.OK);
        for (String bad : List.of("no-such-host.test", "999.1.1.1", "0.0.0.0", "", "-f 127.0.0.1", "224.0.0.1")) {
            PingOutcome outcome = pinger.ping(bad).get(5, TimeUnit.SECONDS);
            assertThat(outcome.getStatus()).as("address '%s'", bad).isEqualTo(PingStatus.ERROR);
            assertThat(outcome.getDetail()).as("address '%s'", bad).isNotBlank();
        }
    }

    @Test
    void shouldAnswerEveryPingWhenMorePingsThanTheConcurrencyLimitAreAsked() throws Exception {
        // when 60 pings go through a limit of 4
        List<CompletableFuture<PingOutcome>> pings = IntStream.range(0, 60)
                .mapToObj(i -> pinger.ping("127.0.0.2")).toList();

        // then
        for (CompletableFuture<PingOutcome> ping : pings) {
            assertThat(ping.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.OK);
        }
    }
}
