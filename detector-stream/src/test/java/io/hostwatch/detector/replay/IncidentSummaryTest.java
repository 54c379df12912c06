package io.hostwatch.detector.replay;

import static io.hostwatch.detector.replay.VerdictDiffTest.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.Evidence;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentSummaryTest {
    @Test
    void shouldCountVerdictsAndTimeEachHostsFirstVerdictWhenSummarised() {
        // given
        IncidentSummary summary = new IncidentSummary();
        summary.transition(state("a", 1_000, HostStatus.RUNNING, StateReason.HEARTBEATING), null);
        summary.transition(state("b", 1_000, HostStatus.RUNNING, StateReason.HEARTBEATING), null);
        HostState dead = new HostState(
                "a",
                HostStatus.DEAD,
                StateReason.HARDWARE_FAILURE_OR_SHUTDOWN,
                List.of(),
                Instant.ofEpochMilli(9_500),
                Instant.ofEpochMilli(9_500),
                HostStatus.RUNNING,
                new Evidence(Instant.ofEpochMilli(5_000), null, null, List.of()),
                "test");
        summary.transition(dead, null);
        summary.transition(state("a", 20_000, HostStatus.RUNNING, StateReason.RECOVERED), null);

        // when
        StringWriter text = new StringWriter();
        summary.print(new PrintWriter(text), false);
        StringWriter json = new StringWriter();
        summary.print(new PrintWriter(json), true);

        // then
        assertThat(text.toString())
                .contains("4 transitions")
                .containsPattern("RUNNING HEARTBEATING +2")
                .containsPattern("DEAD HARDWARE_FAILURE_OR_SHUTDOWN +1")
                .contains("1 hosts left RUNNING")
                .containsPattern("a +DEAD +HARDWARE_FAILURE_OR_SHUTDOWN +1970-01-01T00:00:09.500Z +4.5 s  RUNNING");
        assertThat(json.toString())
                .contains("\"counts\":{\"DEAD HARDWARE_FAILURE_OR_SHUTDOWN\":1,")
                .contains("\"timeToVerdictMs\":4500")
                .contains("\"lastState\":\"RUNNING\"");
    }
}
