package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.agent.isolation.IsolationDetector.Transition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IsolationDetectorTest {
    private static final long S = 1_000_000_000L;
    private static final long NEVER_SILENT = Long.MIN_VALUE;
    private final IsolationDetector detector = new IsolationDetector(Duration.ofSeconds(10), Duration.ofSeconds(2), 0);

    @Test
    void shouldNotProbeAddressesWhileKafkaAcknowledges() {
        assertThat(detector.shouldProbe(5 * S, 4 * S, NEVER_SILENT)).isFalse();
        assertThat(detector.shouldProbe(7 * S, 4 * S, NEVER_SILENT)).isTrue();
    }

    @Test
    void shouldDeclareIsolationOnlyWhenKafkaAndAddressesAreSilentForTimeout() {
        long lastAck = 0;
        // Kafka silent, addresses failing, but not yet for the timeout
        assertThat(detector.update(5 * S, lastAck, NEVER_SILENT, false)).isEqualTo(Transition.NONE);
        assertThat(detector.update(9 * S, lastAck, NEVER_SILENT, false)).isEqualTo(Transition.NONE);
        // both silent for 10 s
        assertThat(detector.update(10 * S, lastAck, NEVER_SILENT, false)).isEqualTo(Transition.ISOLATED);
        assertThat(detector.isolated()).isTrue();
        assertThat(detector.update(11 * S, lastAck, NEVER_SILENT, false)).isEqualTo(Transition.NONE);
    }

    @Test
    void shouldNotDeclareIsolationWhenAnAddressAnswers() {
        // Kafka silent for long (e.g. a broker outage), but the gateway answers: partitioned, not isolated
        for (long t = 1; t < 60; t++) {
            assertThat(detector.update(t * S, 0, NEVER_SILENT, t % 5 == 0)).isEqualTo(Transition.NONE);
        }
    }

    @Test
    void shouldCountTimeoutFromLastAnswerOfEither() {
        // addresses answered until 20 s, Kafka silent since 0
        detector.update(20 * S, 0, NEVER_SILENT, true);
        assertThat(detector.update(29 * S, 0, NEVER_SILENT, false)).isEqualTo(Transition.NONE);
        assertThat(detector.update(30 * S, 0, NEVER_SILENT, false)).isEqualTo(Transition.ISOLATED);
    }

    @Test
    void shouldRecoverWhenKafkaAcknowledgesAgain() {
        detector.update(10 * S, 0, NEVER_SILENT, false);

        assertThat(detector.update(12 * S, 11 * S, NEVER_SILENT, null)).isEqualTo(Transition.RECOVERED);
        assertThat(detector.isolated()).isFalse();
    }

    @Test
    void shouldRecoverWhenAnAddressAnswersAgain() {
        detector.update(10 * S, 0, NEVER_SILENT, false);

        assertThat(detector.update(12 * S, 0, NEVER_SILENT, true)).isEqualTo(Transition.RECOVERED);
    }

    @Test
    void shouldNotDeclareIsolationWhileAgentIsSilentByChoice() {
        // Kafka acknowledged nothing since 0 because the agent sent nothing (service down, heartbeats stopped);
        // the isolation address does not answer either
        for (long t = 1; t < 60; t++) {
            assertThat(detector.shouldProbe(t * S, 0, t * S)).isFalse();
            assertThat(detector.update(t * S, 0, t * S, false)).isEqualTo(Transition.NONE);
        }
        assertThat(detector.isolated()).isFalse();
    }

    @Test
    void shouldCountKafkaSilenceFromEndOfChosenSilence() {
        // the addresses fail from the start; the agent is silent by choice until 20 s, then sends again and nothing
        // is acknowledged
        for (long t = 1; t <= 20; t++) {
            assertThat(detector.update(t * S, 0, t * S, false)).isEqualTo(Transition.NONE);
        }

        assertThat(detector.update(29 * S, 0, 20 * S, false)).isEqualTo(Transition.NONE);
        assertThat(detector.update(30 * S, 0, 20 * S, false)).isEqualTo(Transition.ISOLATED);
    }

    @Test
    void shouldStayIsolatedAndKeepProbingWhenAgentFallsSilentAfterDeclaring() {
        // given: isolated at 10 s
        detector.update(10 * S, 0, NEVER_SILENT, false);

        // when: the isolation response stops the service and the agent falls silent by choice
        for (long t = 11; t < 30; t++) {
            assertThat(detector.shouldProbe(t * S, 0, t * S)).isTrue();
            assertThat(detector.update(t * S, 0, t * S, false)).isEqualTo(Transition.NONE);
        }

        // then: still isolated until an address answers
        assertThat(detector.isolated()).isTrue();
        assertThat(detector.update(30 * S, 0, 30 * S, true)).isEqualTo(Transition.RECOVERED);
    }
}
