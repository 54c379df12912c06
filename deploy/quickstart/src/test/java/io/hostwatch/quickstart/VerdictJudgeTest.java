package io.hostwatch.quickstart;

import static io.hostwatch.quickstart.FaultScenario.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.Evidence;
import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictJudgeTest {
    private static final FaultScenario.Expectation DEAD =
            expect(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN);
    private static final FaultScenario.Expectation HELD =
            expect(HostStatus.UNKNOWN, StateReason.MASS_FAILURE_SUSPECTED);
    private static final FaultScenario.Expectation SELF_ISOLATED =
            expect(HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE, HostCondition.SELF_ISOLATION_CONFIRMED);

    @Test
    void shouldPassWhenOnlyTheExpectedVerdictArrives() {
        // when
        VerdictJudge.Judgement judgement = VerdictJudge.judge(
                "h", DEAD, List.of(event(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN)));

        // then
        assertThat(judgement.passed()).isTrue();
        assertThat(judgement.problems()).isEmpty();
    }

    @Test
    void shouldPassWhenRunningEventsPrecedeTheExpectedVerdict() {
        // given: the fault takes a while to show; the host still heartbeats (e.g. an agent restart is reported)
        List<HostState> events = List.of(
                event(HostStatus.RUNNING, StateReason.AGENT_RESTARTED),
                event(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN));

        // then
        assertThat(VerdictJudge.judge("h", DEAD, events).passed()).isTrue();
    }

    @Test
    void shouldFailAsMissingWhenNoEventArrives() {
        // when
        VerdictJudge.Judgement judgement = VerdictJudge.judge("h", DEAD, List.of());

        // then
        assertThat(judgement.passed()).isFalse();
        assertThat(judgement.problems()).containsExactly("h: expected verdict missing");
    }

    @Test
    void shouldFailWhenAnotherStateArrivesBeforeTheExpectedVerdict() {
        // given
        List<HostState> events = List.of(
                event(HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED),
                event(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN));

        // when
        VerdictJudge.Judgement judgement = VerdictJudge.judge("h", DEAD, events);

        // then
        assertThat(judgement.passed()).isFalse();
        assertThat(judgement.wrong()).extracting(HostState::getState).containsExactly(HostStatus.SERVICE_UNREACHABLE);
    }

    @Test
    void shouldFailWhenTheHostFlipsBackToRunningBeforeTheRepair() {
        // given
        List<HostState> events = List.of(
                event(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN),
                event(HostStatus.RUNNING, StateReason.RECOVERED));

        // when
        VerdictJudge.Judgement judgement = VerdictJudge.judge("h", DEAD, events);

        // then
        assertThat(judgement.passed()).isFalse();
        assertThat(judgement.flips()).extracting(HostState::getState).containsExactly(HostStatus.RUNNING);
    }

    @Test
    void shouldFailWhenTheHostFlipsToAnotherStateAfterTheExpectedVerdict() {
        // given: a late ping OK turning DEAD into SERVICE_UNREACHABLE
        List<HostState> events = List.of(
                event(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN),
                event(HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED));

        // then
        assertThat(VerdictJudge.judge("h", DEAD, events).flips())
                .extracting(HostState::getState)
                .containsExactly(HostStatus.SERVICE_UNREACHABLE);
    }

    @Test
    void shouldCountUnknownAsInconclusiveWhenItIsNotTheExpectedVerdict() {
        // given
        List<HostState> events = List.of(
                event(HostStatus.UNKNOWN, StateReason.PROBE_TIMEOUT),
                event(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN));

        // when
        VerdictJudge.Judgement judgement = VerdictJudge.judge("h", DEAD, events);

        // then
        assertThat(judgement.passed()).isFalse();
        assertThat(judgement.inconclusive())
                .extracting(HostState::getReason)
                .containsExactly(StateReason.PROBE_TIMEOUT);
    }

    @Test
    void shouldCountUnknownWithAnotherReasonAsInconclusiveWhenUnknownIsExpected() {
        // given: the guard expected, but the probes timed out first
        List<HostState> events = List.of(
                event(HostStatus.UNKNOWN, StateReason.PROBE_TIMEOUT),
                event(HostStatus.UNKNOWN, StateReason.MASS_FAILURE_SUSPECTED));

        // when
        VerdictJudge.Judgement judgement = VerdictJudge.judge("h", HELD, events);

        // then
        assertThat(judgement.passed()).isFalse();
        assertThat(judgement.inconclusive())
                .extracting(HostState::getReason)
                .containsExactly(StateReason.PROBE_TIMEOUT);
    }

    @Test
    void shouldFailWhenAHeldHostIsReleasedToDeadBeforeTheRepair() {
        // given
        List<HostState> events = List.of(
                event(HostStatus.UNKNOWN, StateReason.MASS_FAILURE_SUSPECTED),
                event(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN));

        // then
        assertThat(VerdictJudge.judge("h", HELD, events).flips())
                .extracting(HostState::getState)
                .containsExactly(HostStatus.DEAD);
    }

    @Test
    void shouldFailWhenTheExpectedConditionIsMissingFromThePublishedEvent() {
        // given: ISOLATED without the agent's marker
        List<HostState> events = List.of(event(HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE));

        // when
        VerdictJudge.Judgement judgement = VerdictJudge.judge("h", SELF_ISOLATED, events);

        // then
        assertThat(judgement.passed()).isFalse();
        assertThat(judgement.verdict()).isEmpty();
        assertThat(judgement.wrong()).hasSize(1);
    }

    @Test
    void shouldPassWhenLaterEventsStillMatchTheExpectation() {
        // given: the same verdict re-published with an extra condition
        List<HostState> events = List.of(
                event(HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE, HostCondition.SELF_ISOLATION_CONFIRMED),
                event(
                        HostStatus.ISOLATED,
                        StateReason.NETWORK_UNREACHABLE,
                        HostCondition.SELF_ISOLATION_CONFIRMED,
                        HostCondition.STORAGE_DEGRADED));

        // then
        assertThat(VerdictJudge.judge("h", SELF_ISOLATED, events).passed()).isTrue();
    }

    private static HostState event(HostStatus state, StateReason reason, HostCondition... conditions) {
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        return HostState.newBuilder()
                .setHost("h")
                .setState(state)
                .setReason(reason)
                .setConditions(List.of(conditions))
                .setSince(now)
                .setObservedAt(now)
                .setPreviousState(null)
                .setEvidence(Evidence.newBuilder()
                        .setLastHeartbeatAt(null)
                        .setPing(null)
                        .setStorage(null)
                        .setProbers(List.of())
                        .build())
                .setDetectorVersion("test")
                .build();
    }
}
