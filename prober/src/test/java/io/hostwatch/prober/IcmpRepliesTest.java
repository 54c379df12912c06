package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import org.junit.jupiter.api.Test;

class IcmpRepliesTest {

    @Test
    void shouldReadRttInMicrosecondsFromAReplyLine() {
        assertThat(IcmpReplies.replyRttMicros("64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms"))
                .contains(45L);
        assertThat(IcmpReplies.replyRttMicros("64 bytes from ::1: icmp_seq=1 ttl=64 time=12 ms"))
                .contains(12_000L);
        assertThat(IcmpReplies.replyRttMicros("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data."))
                .isEmpty();
        assertThat(IcmpReplies.replyRttMicros("From 198.18.0.5 icmp_seq=1 Destination Host Unreachable"))
                .isEmpty();
    }

    @Test
    void shouldBeFailedWhenPingSaysRequestsWentUnanswered() {
        // when
        PingOutcome outcome = IcmpReplies.classifyExit(1, """
                PING 198.18.0.6 (198.18.0.6) 56(84) bytes of data.

                --- 198.18.0.6 ping statistics ---
                3 packets transmitted, 0 received, 100% packet loss, time 405ms
                """);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(outcome.getMethod()).isEqualTo(PingMethod.ICMP);
        assertThat(outcome.getDetail()).isEqualTo("no echo reply to 3 requests");
    }

    @Test
    void shouldBeFailedWithReasonWhenTheNeighbourIsUnreachable() {
        // when
        PingOutcome outcome = IcmpReplies.classifyExit(1, """
                From 198.18.0.5 icmp_seq=1 Destination Host Unreachable
                --- 198.18.0.6 ping statistics ---
                3 packets transmitted, 0 received, +1 errors, 100% packet loss, time 410ms
                """);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(outcome.getDetail()).contains("host unreachable");
    }

    @Test
    void shouldBeErrorNotFailedWhenPingCouldNotResolveOrSend() {
        assertThat(IcmpReplies.classifyExit(2, "ping: no.such.host: Name or service not known\n")
                        .getStatus())
                .isEqualTo(PingStatus.ERROR);
        PingOutcome unreachable = IcmpReplies.classifyExit(2, "ping: connect: Network is unreachable\n");
        assertThat(unreachable.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(unreachable.getDetail()).contains("Network is unreachable");
        // exit 1 without statistics: e.g. a rejected option, never evidence about the host
        assertThat(IcmpReplies.classifyExit(1, "ping: invalid argument: '0.5'\n")
                        .getStatus())
                .isEqualTo(PingStatus.ERROR);
        // killed before it could say anything
        assertThat(IcmpReplies.classifyExit(137, "").getStatus()).isEqualTo(PingStatus.ERROR);
    }
}
