package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.detector.Classifier.Classification;
import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract's section 1 table, as pure functions: no topology, no store. */
class ClassifierTest {

    @ParameterizedTest(name = "ping {0} + storage {1} -> {2}/{3}")
    @CsvSource({
        "FAILED, STALE,   DEAD,                HARDWARE_FAILURE_OR_SHUTDOWN",
        "OK,     STALE,   SERVICE_UNREACHABLE, SERVICE_PROCESS_CRASHED",
        "FAILED, FRESH,   ISOLATED,            NETWORK_UNREACHABLE",
        "OK,     FRESH,   PARTITIONED,         HEARTBEAT_PATH_BROKEN",
        "ERROR,  STALE,   UNKNOWN,             PROBE_INCONCLUSIVE",
        "ERROR,  FRESH,   UNKNOWN,             PROBE_INCONCLUSIVE",
        "FAILED, ERROR,   UNKNOWN,             PROBE_INCONCLUSIVE",
        "OK,     ERROR,   UNKNOWN,             PROBE_INCONCLUSIVE",
        "FAILED, MISSING, UNKNOWN,             PROBE_INCONCLUSIVE",
        "OK,     MISSING, UNKNOWN,             PROBE_INCONCLUSIVE",
    })
    void shouldClassifyOneProbersAnswerByTheContractTable(
            PingStatus ping, StorageStatus storage, HostStatus state, StateReason reason) {
        // given
        List<ProberEvidence> evidence = List.of(answer("prober-a", ping, storage, false));

        // when
        Classification verdict = Classifier.classify(Classifier.combine(evidence));

        // then
        assertThat(verdict).isEqualTo(new Classification(state, reason, Set.of()));
    }

    @Test
    void shouldBeInconclusiveWithoutAnyAnswer() {
        // when
        Classification verdict = Classifier.classify(Classifier.combine(List.of()));

        // then
        assertThat(verdict.state()).isEqualTo(HostStatus.UNKNOWN);
        assertThat(verdict.reason()).isEqualTo(StateReason.PROBE_INCONCLUSIVE);
    }

    @Test
    void shouldNotLetOneVantagePointMakeAHostDeadWhenAnotherPingsIt() {
        // given: one prober cannot reach the host, the other can
        List<ProberEvidence> evidence = List.of(
                answer("prober-a", PingStatus.FAILED, StorageStatus.STALE, false),
                answer("prober-b", PingStatus.OK, StorageStatus.STALE, false));

        // when
        Classification verdict = Classifier.classify(Classifier.combine(evidence));

        // then
        assertThat(verdict.state()).isEqualTo(HostStatus.SERVICE_UNREACHABLE);
    }

    @Test
    void shouldTakeAFreshFileFromAnyProberOverAStaleOne() {
        // given
        List<ProberEvidence> evidence = List.of(
                answer("prober-a", PingStatus.FAILED, StorageStatus.STALE, false),
                answer("prober-b", PingStatus.FAILED, StorageStatus.FRESH, false));

        // when
        Classification verdict = Classifier.classify(Classifier.combine(evidence));

        // then
        assertThat(verdict.state()).isEqualTo(HostStatus.ISOLATED);
    }

    @Test
    void shouldPreferAFailedPingOfAHealthyProberOverAnotherProbersError() {
        // given: ERROR (a prober that failed its own self-check) is no evidence; FAILED from the other is
        List<ProberEvidence> evidence = List.of(
                answer("prober-a", PingStatus.ERROR, StorageStatus.STALE, false),
                answer("prober-b", PingStatus.FAILED, StorageStatus.STALE, false));

        // when
        Classification verdict = Classifier.classify(Classifier.combine(evidence));

        // then
        assertThat(verdict.state()).isEqualTo(HostStatus.DEAD);
    }

    @Test
    void shouldConfirmSelfIsolationWhenAnyProberReadTheMarker() {
        // given: the freshest read lacks the marker, another prober's read has it
        List<ProberEvidence> evidence = List.of(
                answer("prober-a", PingStatus.FAILED, StorageStatus.FRESH, false),
                answer("prober-b", PingStatus.FAILED, StorageStatus.STALE, true));

        // when
        Classification verdict = Classifier.classify(Classifier.combine(evidence));

        // then
        assertThat(verdict)
                .isEqualTo(new Classification(
                        HostStatus.ISOLATED,
                        StateReason.NETWORK_UNREACHABLE,
                        Set.of(HostCondition.SELF_ISOLATION_CONFIRMED)));
    }

    @Test
    void shouldNameTheProbersWhoseAnswersWereCombinedInAStableOrder() {
        // given
        List<ProberEvidence> evidence = List.of(
                answer("prober-b", PingStatus.FAILED, StorageStatus.STALE, false),
                answer("prober-a", PingStatus.FAILED, StorageStatus.STALE, false));

        // when
        Classifier.Combined combined = Classifier.combine(evidence);

        // then
        assertThat(combined.probers()).containsExactly("prober-a", "prober-b");
    }

    private static ProberEvidence answer(String prober, PingStatus ping, StorageStatus storage, boolean isolated) {
        return new ProberEvidence(
                prober,
                1,
                1_700_000_000_000L,
                new PingOutcome(ping, PingMethod.ICMP, ping == PingStatus.OK ? 250L : null, null),
                new StorageOutcome(storage, storage == StorageStatus.MISSING ? null : 7L, isolated, null));
    }
}
