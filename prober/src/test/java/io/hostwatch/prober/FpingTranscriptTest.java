package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The files under {@code fping/} are real output of fping 5.1 (Debian 12), stdout and stderr merged, captured in a
 * network namespace: 127.0.0.x and ::1 answer, 198.18.1.5 sits behind a veth whose peer has no address (ARP fails:
 * silent), 10.9.9.9 and 2001:db8::5 have no route in the namespace. The last line is the exit code the test adds.
 */
class FpingTranscriptTest {

    @Test
    void shouldReadRepliesAsTheyComeForIpv4AndIpv6() {
        // given
        FpingTranscript transcript = new FpingTranscript(3);

        // when
        Map<String, Long> firstReplies =
                replies(transcript, capture("mixed-v4-v6-silent-no-route.txt").lines());

        // then
        assertThat(firstReplies)
                .containsExactly(Map.entry("127.0.0.1", 92L), Map.entry("::1", 63L), Map.entry("127.0.0.3", 81L));
    }

    @Test
    void shouldBeFailedForASilentHostAtTheTimeoutOfItsLastRequest() {
        // given
        List<String> lines = capture("mixed-v4-v6-silent-no-route.txt").lines();
        int lastTimeout = lines.indexOf("198.18.1.5  : [2], timed out (NaN avg, 100% loss)");
        FpingTranscript transcript = new FpingTranscript(3);

        // when
        Map<String, PingOutcome> before = settle(transcript, lines.subList(0, lastTimeout));
        Map<String, PingOutcome> at = settle(transcript, lines.subList(lastTimeout, lastTimeout + 1));

        // then: not after two timeouts, FAILED at the third, before fping's summary or exit
        assertThat(before).doesNotContainKey("198.18.1.5");
        assertThat(at).containsOnlyKeys("198.18.1.5");
        assertThat(at.get("198.18.1.5").getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(at.get("198.18.1.5").getDetail()).isEqualTo("no echo reply to 3 requests");
    }

    @Test
    void shouldBeFailedFromTheSummaryOnlyAfterANormalExit() {
        // given the summary and timeouts of a silent host, read by a transcript told of more attempts than were made
        Capture capture = capture("mixed-v4-v6-silent-no-route.txt");
        FpingTranscript transcript = new FpingTranscript(3);
        settle(transcript, capture.lines());

        // when
        PingOutcome normal = transcript.unanswered("198.18.1.5", capture.exit());
        PingOutcome killed = transcript.unanswered("198.18.1.5", -1);

        // then
        assertThat(capture.exit()).isEqualTo(1);
        assertThat(normal.getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(killed.getStatus()).isEqualTo(PingStatus.ERROR);
    }

    @Test
    void shouldBeErrorNotFailedWhenNoRequestCouldLeaveTheProber() {
        // given: fping counts the requests in xmt but prints no "timed out" for them
        Capture capture = capture("mixed-v4-v6-silent-no-route.txt");
        FpingTranscript transcript = new FpingTranscript(3);
        replies(transcript, capture.lines());

        // when
        PingOutcome v4 = transcript.unanswered("10.9.9.9", capture.exit());
        PingOutcome v6 = transcript.unanswered("2001:db8::5", capture.exit());

        // then
        assertThat(v4.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(v4.getDetail()).contains("none as timed out");
        assertThat(v6.getStatus()).isEqualTo(PingStatus.ERROR);
    }

    @Test
    void shouldBeErrorWhenFpingWasInterruptedBeforeSendingEveryRequest() {
        // given: SIGINT after the first timeout; fping still prints its summary and exits 1
        Capture capture = capture("interrupted.txt");
        FpingTranscript transcript = new FpingTranscript(3);
        Map<String, Long> firstReplies = replies(transcript, capture.lines());

        // when
        PingOutcome silent = transcript.unanswered("198.18.1.5", capture.exit());

        // then
        assertThat(firstReplies).containsOnlyKeys("127.0.0.1");
        assertThat(silent.getStatus()).isEqualTo(PingStatus.ERROR);
    }

    @Test
    void shouldBeErrorWithFpingsWordsForATargetItCouldNotUse() {
        // given
        Capture capture = capture("unresolvable.txt");
        FpingTranscript transcript = new FpingTranscript(2);
        replies(transcript, capture.lines());

        // when
        PingOutcome outcome = transcript.unanswered("999.1.1.1", capture.exit());

        // then
        assertThat(capture.exit()).isEqualTo(2);
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(outcome.getDetail()).contains("exited with 2").contains("Temporary failure in name resolution");
    }

    @Test
    void shouldCountADuplicateOrLateReplyAsAnAnswer() {
        // given: fping 5.1's format string "%s : duplicate for [%d], %d bytes, %s ms" (no duplicate was capturable
        // here: nothing on loopback or in a namespace answers twice)
        FpingTranscript transcript = new FpingTranscript(3);

        // when
        Map<String, Long> firstReplies =
                replies(transcript, List.of("198.18.0.6  : duplicate for [1], 64 bytes, 12.5 ms"));

        // then
        assertThat(firstReplies).containsExactly(Map.entry("198.18.0.6", 12_500L));
    }

    @Test
    void shouldCarryAnIcmpErrorIntoTheFailedDetailAndIgnoreUnknownLines() {
        // given
        FpingTranscript transcript = new FpingTranscript(1);

        // when
        PingOutcome outcome = settle(
                        transcript,
                        List.of(
                                "something fping 6 might print",
                                "ICMP Host Unreachable from 198.18.0.5 for ICMP Echo sent to 198.18.0.6",
                                "198.18.0.6 : [0], timed out (NaN avg, 100% loss)"))
                .get("198.18.0.6");

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(outcome.getDetail())
                .isEqualTo("no echo reply to 1 requests (ICMP Host Unreachable from 198.18.0.5)");
    }

    @Test
    void shouldBeErrorForATargetFpingNeverMentioned() {
        // given: the process died before printing anything
        FpingTranscript transcript = new FpingTranscript(3);

        // when
        PingOutcome outcome = transcript.unanswered("127.0.0.9", 137);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(outcome.getDetail()).isEqualTo("fping exited with 137 without a result for 127.0.0.9: no output");
    }

    /** The echo replies' RTTs, by target, first reply only. */
    private static Map<String, Long> replies(FpingTranscript transcript, List<String> lines) {
        Map<String, Long> first = new LinkedHashMap<>();
        settle(transcript, lines).forEach((target, outcome) -> {
            if (outcome.getStatus() == PingStatus.OK) {
                first.put(target, outcome.getRttMicros());
            }
        });
        return first;
    }

    /** The outcomes the lines settle as they come, by target, first only. */
    private static Map<String, PingOutcome> settle(FpingTranscript transcript, List<String> lines) {
        Map<String, PingOutcome> first = new LinkedHashMap<>();
        for (String line : lines) {
            transcript.accept(line).ifPresent(settled -> first.putIfAbsent(settled.target(), settled.outcome()));
        }
        return first;
    }

    private record Capture(List<String> lines, int exit) {}

    private static Capture capture(String name) {
        try (InputStream in = FpingTranscriptTest.class.getResourceAsStream("/fping/" + name)) {
            List<String> all = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            String last = all.get(all.size() - 1);
            return new Capture(all.subList(0, all.size() - 1), Integer.parseInt(last.substring("exit=".length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
