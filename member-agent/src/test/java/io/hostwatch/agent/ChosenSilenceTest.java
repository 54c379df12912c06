package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChosenSilenceTest {
    private final ChosenSilence silence = new ChosenSilence(2);

    @Test
    void shouldNotCountSilenceWhileAnotherHostStillSends() {
        // when: host a falls silent, host b keeps sending
        silence.record(false, true, 10);
        silence.record(false, false, 20);
        silence.record(true, true, 30);

        // then
        assertThat(silence.lastNanos()).isEqualTo(ChosenSilence.NEVER);
    }

    @Test
    void shouldRememberSilenceUntilTheFirstHostSpeaksAgainWhenAllHostsAreSilent() {
        // given: both silent
        silence.record(false, true, 10);
        silence.record(false, true, 20);
        silence.record(true, true, 30);
        assertThat(silence.lastNanos()).isEqualTo(30);

        // when: host b sends again, then the hosts tick on
        silence.record(true, false, 40);
        silence.record(true, true, 50);
        silence.record(false, false, 60);

        // then: the silence ended at 40
        assertThat(silence.lastNanos()).isEqualTo(40);
    }
}
