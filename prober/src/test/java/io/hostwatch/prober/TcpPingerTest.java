package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
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
    private static final Deadline LATER = Deadline.in(Duration.ofHours(1));

    private final List<AutoCloseable> cleanup = new ArrayList<>();
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
    void tearDown() throws Exception {
        pinger.close();
        resolver.close();
        listener.close();
        for (AutoCloseable resource : cleanup) {
            resource.close();
        }
    }

    @Test
    void shouldBeOkWithRttWhenAListenerAccepts() throws Exception {
        // when
        PingOutcome outcome = pinger.ping("127.0.0.2", LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.OK);
        assertThat(outcome.getMethod()).isEqualTo(PingMethod.TCP);
        assertThat(outcome.getRttMicros()).isNotNull().isGreaterThanOrEqualTo(0L);
    }

    @Test
    void shouldBeOkWhenTheHostRefusesTheConnection() throws Exception {
        // given a loopback address with nothing on the port: the kernel answers with a reset
        // when
        PingOutcome outcome = pinger.ping("127.0.0.3", LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.OK);
        assertThat(outcome.getDetail()).contains("refused");
    }

    @Test
    void shouldBeFailedWhenNoConnectIsAnswered() throws Exception {
        // given a listener whose accept queue is full: the kernel drops further SYNs, as for a host that is gone
        ServerSocket full = unansweredListener();
        TcpPinger unanswered = closeLater(
                new TcpPinger(full.getLocalPort(), 2, Duration.ofMillis(50), Duration.ofMillis(300), 4, resolver));

        // when
        PingOutcome outcome = unanswered.ping("127.0.0.4", LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(outcome.getDetail()).contains("no answer to 2 TCP connects");
        assertThat(outcome.getRttMicros()).isNull();
    }

    @Test
    void shouldNotStartAWaitingPingWhenItsDeadlinePassedBeforeASlotWasFree() throws Exception {
        // given one connection slot, taken by a ping that gets no answer for 300 ms
        ServerSocket full = unansweredListener();
        TcpPinger oneSlot = closeLater(
                new TcpPinger(full.getLocalPort(), 1, Duration.ofMillis(50), Duration.ofMillis(300), 1, resolver));
        CompletableFuture<PingOutcome> first = oneSlot.ping("127.0.0.4", LATER);

        // when a ping due in 100 ms waits for the slot (the kernel would answer it at once with a reset)
        PingOutcome late =
                oneSlot.ping("127.0.0.3", Deadline.in(Duration.ofMillis(100))).get(5, TimeUnit.SECONDS);

        // then it is never started
        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(late.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(late.getDetail()).contains("deadline passed while the ping waited");
    }

    @Test
    void shouldResolveNamesAndReportErrorForBadAddresses() throws Exception {
        assertThat(pinger.ping("alive.test", LATER).get(5, TimeUnit.SECONDS).getStatus())
                .isEqualTo(PingStatus.OK);
        for (String bad : List.of("no-such-host.test", "999.1.1.1", "0.0.0.0", "", "-f 127.0.0.1", "224.0.0.1")) {
            PingOutcome outcome = pinger.ping(bad, LATER).get(5, TimeUnit.SECONDS);
            assertThat(outcome.getStatus()).as("address '%s'", bad).isEqualTo(PingStatus.ERROR);
            assertThat(outcome.getDetail()).as("address '%s'", bad).isNotBlank();
        }
    }

    @Test
    void shouldAnswerEveryPingWhenMorePingsThanTheConcurrencyLimitAreAsked() throws Exception {
        // when 60 pings go through a limit of 4
        List<CompletableFuture<PingOutcome>> pings = IntStream.range(0, 60)
                .mapToObj(i -> pinger.ping("127.0.0.2", LATER))
                .toList();

        // then
        for (CompletableFuture<PingOutcome> ping : pings) {
            assertThat(ping.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.OK);
        }
    }

    /** A listener on 127.0.0.4 that never accepts, its accept queue filled until a connect goes unanswered. */
    private ServerSocket unansweredListener() throws IOException {
        ServerSocket full = closeLater(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.4")));
        for (int i = 0; i < 10; i++) {
            Socket filler = closeLater(new Socket());
            try {
                filler.connect(full.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException e) {
                return full;
            }
        }
        throw new IllegalStateException("the accept queue of " + full + " never filled");
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }
}
