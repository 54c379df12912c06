package io.hostwatch.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.Evidence;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictDiffTest {
    static HostState state(String host, long at, HostStatus state, StateReason reason) {
        return new HostState(
                host,
                state,
                reason,
                List.of(),
                Instant.ofEpochMilli(at),
                Instant.ofEpochMilli(at),
                null,
                new Evidence(null, null, null, List.of()),
                "test");
    }

    @Test
    void shouldListOnlyTheVerdictsThatDifferWhenTwoRunsAreCompared() {
        // given
        VerdictDiff.Run before = new VerdictDiff.Run();
        VerdictDiff.Run after = new VerdictDiff.Run();
        before.transition(state("a", 1, HostStatus.RUNNING, StateReason.HEARTBEATING), null);
        after.transition(state("a", 1, HostStatus.RUNNING, StateReason.HEARTBEATING), null);
        before.transition(state("a", 9, HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN), null);
        before.transition(state("b", 5, HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN), null);
        after.transition(state("b", 5, HostStatus.UNKNOWN, StateReason.MASS_FAILURE_SUSPECTED), null);
        after.transition(state("c", 7, HostStatus.UNKNOWN, StateReason.PROBE_TIMEOUT), null);

        // when
        List<VerdictDiff.Change> changes = VerdictDiff.compare(before, after);
        StringWriter text = new StringWriter();
        VerdictDiff.print(new PrintWriter(text), changes, Map.of("heartbeat.timeout.ms", "10000"), false);

        // then: in time order, the equal verdict left out
        assertThat(changes).extracting(VerdictDiff.Change::host).containsExactly("b", "c", "a");
        assertThat(changes.get(0).before().state()).isEqualTo("DEAD");
        assertThat(changes.get(0).after().state()).isEqualTo("UNKNOWN");
        assertThat(changes.get(1).before()).isNull();
        assertThat(changes.get(2).after()).isNull();
        assertThat(text.toString())
                .containsPattern("b +DEAD/HARDWARE_FAILURE_OR_SHUTDOWN +-> UNKNOWN/MASS_FAILURE_SUSPECTED")
                .containsPattern("a +DEAD/HARDWARE_FAILURE_OR_SHUTDOWN +-> \\(none\\)")
                .contains("3 verdicts differ with {heartbeat.timeout.ms=10000}: 1 only with the recorded config, 1 "
                        + "only with the change, 1 changed")
                .contains("1 DEAD verdicts would not have happened");
    }
}
