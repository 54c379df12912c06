package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.agent.isolation.IsolationDetector.Transition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IsolationDetectorTest {
    private static final long S = 1_000_000_000L;
    private final IsolationDetector detector = new IsolationDetector(Duration.ofSeconds(10), Duration.ofSeconds(2), 0);

    @Test
    void shouldNotProbeAddressesWhileKafkaAcknowledges() {
        assertThat(detector.shouldProbe(5 * S, 4 * S)).isFalse();
        assertThat(detector.shouldProbe(7 * S, 4 * S)).isTrue();
    }

    @Test
    void shouldDeclareIsolationOnlyWhenKafkaAndAddressesAreSilentForTimeout() {
        long lastAck = 0;
        // Kafka silent, addresses failing, but not yet for the timeout
        assertThat(detector.update(5 * S, lastAck, false)).isEqualTo(Transition.NONE);
        assertThat(detector.update(9 * S, lastAck, false)).isEqualTo(Transition.NONE);
        // both silent for 10 s
        assertThat(detector.update(10 * S, lastAck, false)).isEqualTo(Transition.ISOLATED);
        assertThat(detector.isolated()).isTrue();
        assertThat(detector.update(11 * S, lastAck, false)).isEqualTo(Transition.NONE);
    }

    @Test
    void shouldNotDeclareIsolationWhenAnAddressAnswers() {
        // Kafka silent for long (e.g. a broker outage), but the gateway answers: partitioned, not isolated
        for (long t = 1; t < 60; t++) {
            assertThat(detector.update(t * S, 0, t % 5 == 0)).isEqualTo(Transition.NONE);
        }
    }

    @Test
    void shouldCountTimeoutFromLastAnswerOfEither() {
        // addresses answered until 20 s, Kafka silent since 0
        detector.update(20 * S, 0, true);
        assertThat(detector.update(29 * S, 0, false)).isEqualTo(Transition.NONE);
        assertThat(detector.update(30 * S, 0, false)).isEqualTo(Transition.ISOLATED);
    }

    @Test
    void shouldRecoverWhenKafkaAcknowledgesAgain() {
        detector.update(10 * S, 0, false);

        assertThat(detector.update(12 * S, 11 * S, null)).isEqualTo(Transition.RECOVERED);
        assertThat(detector.isolated()).isFalse();
    }

    @Test
    void shouldRecoverWhenAnAddressAnswersAgain() {
        detector.update(10 * S, 0, false);

        assertThat(detector.update(12 * S, 0, true)).isEqualTo(Transition.RECOVERED);
    }
}
