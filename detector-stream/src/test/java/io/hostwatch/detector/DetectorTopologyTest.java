package io.hostwatch.detector;

import static io.hostwatch.detector.DetectorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Walks contract section 1's table and section 5's state machine through the real topology. */
class DetectorTopologyTest {
    private static final String HOST = "compute-1";

    @TempDir
    Path stateDir;

    private DetectorDriver detector;

    @BeforeEach
    void start() {
        detector = new DetectorDriver(stateDir);
    }

    @AfterEach
    void stop() {
        detector.close();
    }

    /** A host heartbeats once, then falls silent until it is probed; returns the probe request. */
    private ProbeRequest silence(String host) {
        detector.heartbeat(host);
        detector.advanceBy(3500);
        return detector.singleProbeRequest();
    }

    /** A silent host gets one prober's answer and the collection window passes; returns what was published. */
    private List<HostState> classify(PingStatus ping, StorageStatus storage) {
        ProbeRequest request = silence(HOST);
        detector.hostStates();
        detector.result(request, "prober-a", ping, storage);
        detector.advanceBy(1500);
        return detector.hostStatesOf(HOST);
    }

    /** A second detector that probes UNKNOWN hosts again after 10 s. */
    private DetectorDriver reprobingDetector() {
        return new DetectorDriver(
                stateDir.resolve("reprobing"), Map.of(DetectorConfig.UNKNOWN_REPROBE_MS_CONFIG, "10000"));
    }

    private static void assertVerdict(HostState state, HostStatus status, StateReason reason) {
        assertThat(state.getState()).isEqualTo(status);
        assertThat(state.getReason()).isEqualTo(reason);
    }

    @Test
    void shouldPublishRunningWhenHeartbeatsArrive() {
        // when
        detector.heartbeat(HOST);
        detector.advanceBy(1000);
        detector.heartbeat(HOST);
        detector.advanceBy(1000);
        detector.heartbeat(HOST);

        // then: one event, not one per heartbeat
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.RUNNING, StateReason.HEARTBEATING);
        assertThat(states.get(0).getPreviousState()).isNull();
        assertThat(states.get(0).getConditions()).isEmpty();
        assertThat(detector.probeRequests()).isEmpty();
    }

    @Test
    void shouldDeclareDeadWhenPingFailsAndStorageIsStale() {
        // when
        List<HostState> states = classify(PingStatus.FAILED, StorageStatus.STALE);

        // then
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN);
        assertThat(states.get(0).getPreviousState()).isEqualTo(HostStatus.RUNNING);
        assertThat(states.get(0).getEvidence().getPing().getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(states.get(0).getEvidence().getStorage().getStatus()).isEqualTo(StorageStatus.STALE);
        assertThat(states.get(0).getEvidence().getProbers()).containsExactly("prober-a");
        assertThat(states.get(0).getEvidence().getLastHeartbeatAt()).isEqualTo(Instant.ofEpochMilli(T0));
    }

    @Test
    void shouldDeclareServiceUnreachableWhenPingIsOkAndStorageIsStale() {
        List<HostState> states = classify(PingStatus.OK, StorageStatus.STALE);

        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED);
    }

    @Test
    void shouldDeclareIsolatedWhenPingFailsAndStorageIsFresh() {
        List<HostState> states = classify(PingStatus.FAILED, StorageStatus.FRESH);

        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE);
        assertThat(states.get(0).getConditions()).isEmpty();
    }

    @Test
    void shouldDeclarePartitionedWhenPingIsOkAndStorageIsFresh() {
        List<HostState> states = classify(PingStatus.OK, StorageStatus.FRESH);

        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.PARTITIONED, StateReason.HEARTBEAT_PATH_BROKEN);
    }

    @ParameterizedTest
    @EnumSource(StorageStatus.class)
    void shouldDeclareUnknownWhenPingIsInconclusiveWhateverTheStorage(StorageStatus storage) {
        List<HostState> states = classify(PingStatus.ERROR, storage);

        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.UNKNOWN, StateReason.PROBE_INCONCLUSIVE);
    }

    @ParameterizedTest
    @EnumSource(
            value = StorageStatus.class,
            names = {"ERROR", "MISSING"})
    void shouldDeclareUnknownWhenStorageIsInconclusiveWhateverThePing(StorageStatus storage) {
        for (PingStatus ping : PingStatus.values()) {
            try (DetectorDriver fresh = new DetectorDriver(stateDir.resolve(ping.name() + storage.name()))) {
                fresh.heartbeat(HOST);
                fresh.advanceBy(3500);
                fresh.result(fresh.singleProbeRequest(), "prober-a", ping, storage);
                fresh.advanceBy(1500);
                List<HostState> states = fresh.hostStatesOf(HOST);
                assertThat(states).as("ping %s, storage %s", ping, storage).hasSize(2);
                assertVerdict(states.get(1), HostStatus.UNKNOWN, StateReason.PROBE_INCONCLUSIVE);
            }
        }
    }

    @Test
    void shouldAddStorageDegradedConditionWhenAgentReportsStorageWritesFailing() {
        // given
        detector.heartbeat(HOST);

        // when
        detector.advanceBy(1000);
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setStorageWriteOk(false));
        detector.advanceBy(1000);
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setStorageWriteOk(false));
        detector.advanceBy(1000);
        detector.heartbeat(HOST);

        // then
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(3);
        assertThat(states.get(1).getState()).isEqualTo(HostStatus.RUNNING);
        assertThat(states.get(1).getConditions()).containsExactly(HostCondition.STORAGE_DEGRADED);
        assertThat(states.get(1).getReason()).isEqualTo(StateReason.STORAGE_WRITE_FAILING);
        assertThat(states.get(1).getSince()).isEqualTo(states.get(0).getSince());
        assertThat(states.get(2).getState()).isEqualTo(HostStatus.RUNNING);
        assertThat(states.get(2).getConditions()).isEmpty();
        assertThat(states.get(2).getReason()).isEqualTo(StateReason.RECOVERED);
        assertThat(detector.probeRequests()).isEmpty();
    }

    @Test
    void shouldDeclareServiceReportedDownAtOnceWhenHeartbeatSaysDown() {
        // given
        detector.heartbeat(HOST);
        detector.advanceBy(1000);

        // when
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setServiceStatus(ServiceStatus.DOWN));

        // then: no probing, the agent is alive and says so
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(2);
        assertVerdict(states.get(1), HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_REPORTED_DOWN);
        assertThat(states.get(1).getObservedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 1000));
        assertThat(detector.probeRequests()).isEmpty();

        // and when the service is back
        detector.advanceBy(1000);
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setServiceStatus(ServiceStatus.DEGRADED));
        List<HostState> back = detector.hostStates();
        assertThat(back).hasSize(1);
        assertVerdict(back.get(0), HostStatus.RUNNING, StateReason.RECOVERED);
        assertThat(back.get(0).getPreviousState()).isEqualTo(HostStatus.SERVICE_UNREACHABLE);
    }

    @Test
    void shouldConfirmSelfIsolationWhenStorageCarriesTheAgentsIsolatedMarker() {
        // given
        ProbeRequest request = silence(HOST);

        // when
        detector.result(request, "prober-a", PingStatus.FAILED, StorageStatus.FRESH, true);
        detector.advanceBy(1500);

        // then
        List<HostState> states = detector.hostStatesOf(HOST);
        assertVerdict(states.get(states.size() - 1), HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE);
        assertThat(states.get(states.size() - 1).getConditions())
                .containsExactly(HostCondition.SELF_ISOLATION_CONFIRMED);
    }

    @Test
    void shouldReportAgentRestartedWhenAgentInstanceChanges() {
        // given
        detector.heartbeat(HOST);
        detector.advanceBy(1000);

        // when
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setAgentInstance("agent-new"));
        detector.advanceBy(1000);
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setAgentInstance("agent-new"));

        // then
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(2);
        assertVerdict(states.get(1), HostStatus.RUNNING, StateReason.AGENT_RESTARTED);
        assertThat(states.get(1).getPreviousState()).isEqualTo(HostStatus.RUNNING);
    }

    @Test
    void shouldReturnToRunningWithReasonRecoveredWhenHeartbeatsResume() {
        // given
        classify(PingStatus.FAILED, StorageStatus.STALE);

        // when
        detector.heartbeat(HOST);

        // then
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.RUNNING, StateReason.RECOVERED);
        assertThat(states.get(0).getPreviousState()).isEqualTo(HostStatus.DEAD);
        assertThat(states.get(0).getEvidence().getPing()).isNull();
        assertThat(detector.record(HOST).phase).isEqualTo(Phase.WATCHING);
    }

    @Test
    void shouldAskForAProbeWithTheLastHeartbeatsAddressAndStorageSequence() {
        // given
        detector.heartbeat(
                DetectorDriver.heartbeatOf(HOST).setAddress("192.0.2.7").setStorageSequence(41));

        // when: silent for less than the timeout, then for more
        detector.advanceBy(2999);
        assertThat(detector.probeRequests()).isEmpty();
        detector.advanceBy(501);

        // then
        ProbeRequest request = detector.singleProbeRequest();
        assertThat(request.getHost()).isEqualTo(HOST);
        assertThat(request.getAddress()).isEqualTo("192.0.2.7");
        assertThat(request.getLastStorageSequence()).isEqualTo(41);
        assertThat(request.getAttempt()).isEqualTo(1);
        assertThat(request.getLastHeartbeatAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(request.getRequestedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 3000));
        assertThat(detector.hostStatesOf(HOST)).extracting(HostState::getState).containsExactly(HostStatus.RUNNING);
    }

    @Test
    void shouldProbeAgainAfterProbeTimeoutAndGiveUpAsProbeTimeoutAfterTheLastAttempt() {
        // given
        ProbeRequest first = silence(HOST);
        detector.hostStates();

        // when: nobody answers
        detector.advanceBy(3000);
        ProbeRequest second = detector.singleProbeRequest();
        detector.advanceBy(3000);
        ProbeRequest third = detector.singleProbeRequest();
        detector.advanceBy(3000);

        // then
        assertThat(List.of(first.getAttempt(), second.getAttempt(), third.getAttempt()))
                .containsExactly(1, 2, 3);
        assertThat(second.getRequestId()).isNotEqualTo(first.getRequestId());
        assertThat(detector.probeRequests()).isEmpty();
        List<HostState> states = detector.hostStatesOf(HOST);
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.UNKNOWN, StateReason.PROBE_TIMEOUT);
        assertThat(states.get(0).getObservedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 3000 + 3 * 3000));
    }

    @Test
    void shouldClassifyWhenAnAnswerToAnEarlierAttemptArrivesLate() {
        // given
        ProbeRequest first = silence(HOST);
        detector.advanceBy(3000);
        assertThat(detector.singleProbeRequest().getAttempt()).isEqualTo(2);

        // when: the answer to attempt 1 turns up
        detector.result(first, "prober-a", PingStatus.OK, StorageStatus.FRESH);

        // then
        List<HostState> states = detector.hostStatesOf(HOST);
        assertVerdict(states.get(states.size() - 1), HostStatus.PARTITIONED, StateReason.HEARTBEAT_PATH_BROKEN);
    }

    @Test
    void shouldIgnoreALateResultWhenTheHostHasAlreadyRecovered() {
        // given
        ProbeRequest request = silence(HOST);
        detector.heartbeat(HOST);
        detector.hostStates();

        // when
        detector.result(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
        detector.advanceBy(2000);

        // then
        assertThat(detector.hostStates()).isEmpty();
        assertThat(detector.record(HOST).evidence).isEmpty();
    }

    @Test
    void shouldIgnoreAResultForAnEarlierSilence() {
        // given: one silence, recovery, a second silence
        ProbeRequest old = silence(HOST);
        ProbeRequest current = silence(HOST);
        assertThat(current.getRequestId()).isNotEqualTo(old.getRequestId());
        detector.hostStates();

        // when: the old silence's answer arrives now
        detector.result(old, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
        detector.advanceBy(1500);

        // then
        assertThat(detector.hostStates()).isEmpty();
        assertThat(detector.record(HOST).phase).isEqualTo(Phase.PROBING);
    }

    @Test
    void shouldPublishOnceWhenTheSameResultIsDeliveredTwice() {
        // given
        ProbeRequest request = silence(HOST);
        detector.hostStates();
        detector.result(request, "prober-a", PingStatus.OK, StorageStatus.STALE);

        // when
        detector.result(request, "prober-a", PingStatus.OK, StorageStatus.STALE);
        detector.advanceBy(1500);

        // then
        assertThat(detector.hostStates()).hasSize(1);
        assertThat(detector.record(HOST).evidence).hasSize(1);
    }

    @Test
    void shouldNotCountAProbersErrorAsFailedWhenItIsTheOnlyAnswer() {
        // given
        ProbeRequest request = silence(HOST);
        detector.hostStates();

        // when: the prober's self-check failed, the host's storage is stale
        detector.result(request, "prober-a", PingStatus.ERROR, StorageStatus.STALE);
        detector.advanceBy(1500);

        // then
        List<HostState> states = detector.hostStates();
        assertThat(states).extracting(HostState::getState).containsExactly(HostStatus.UNKNOWN);
    }

    @Test
    void shouldLetPingOkFromAnyProberWinWithinTheCollectionWindow() {
        // given
        ProbeRequest request = silence(HOST);
        detector.hostStates();

        // when: one vantage point cannot reach the host, the other can
        detector.result(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
        detector.advanceBy(500);
        detector.result(request, "prober-b", PingStatus.OK, StorageStatus.STALE);
        detector.advanceBy(1500);

        // then: never DEAD
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED);
        assertThat(states.get(0).getEvidence().getProbers()).containsExactly("prober-a", "prober-b");
    }

    @Test
    void shouldWaitForTheCollectionWindowBeforePublishingAnInconclusiveFirstAnswer() {
        // given
        ProbeRequest request = silence(HOST);
        detector.hostStates();

        // when: the first prober could not see the host (its own deadline), the second one could
        detector.result(request, "prober-a", PingStatus.ERROR, StorageStatus.ERROR);
        detector.advanceBy(500);
        assertThat(detector.hostStates()).isEmpty();
        detector.result(request, "prober-b", PingStatus.OK, StorageStatus.STALE);
        detector.advanceBy(1500);

        // then: no UNKNOWN on the way to the verdict
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED);
    }

    @Test
    void shouldKeepAProbersConclusiveAnswerWhenItsLaterAnswerIsInconclusive() {
        // given: attempt 1 went unanswered in time, attempt 2 is out, then attempt 1's answer arrives late
        ProbeRequest first = silence(HOST);
        detector.advanceBy(3000);
        ProbeRequest second = detector.singleProbeRequest();
        detector.result(first, "prober-a", PingStatus.OK, StorageStatus.STALE);
        assertThat(detector.hostStatesOf(HOST))
                .extracting(HostState::getState)
                .containsExactly(HostStatus.RUNNING, HostStatus.SERVICE_UNREACHABLE);

        // when: the same prober, overloaded, answers attempt 2 without seeing anything
        detector.result(second, "prober-a", PingStatus.ERROR, StorageStatus.ERROR);
        detector.advanceBy(1500);

        // then: what it saw before still stands
        assertThat(detector.hostStates()).isEmpty();
    }

    @Test
    void shouldHoldDeadForTheCollectionWindowWhenFewerProbersThanTheQuorumAnswered() {
        // given
        ProbeRequest request = silence(HOST);
        detector.hostStates();

        // when
        detector.result(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
        long firstResult = detector.now();
        detector.advanceBy(500);

        // then: not yet
        assertThat(detector.hostStates()).isEmpty();
        detector.advanceBy(1000);
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertThat(states.get(0).getState()).isEqualTo(HostStatus.DEAD);
        assertThat(states.get(0).getObservedAt()).isEqualTo(Instant.ofEpochMilli(firstResult + 1000));
    }

    @Test
    void shouldPublishDeadAtOnceWhenTheQuorumOfProbersAgrees() {
        // given
        ProbeRequest request = silence(HOST);
        detector.hostStates();

        // when
        detector.result(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
        detector.result(request, "prober-b", PingStatus.ERROR, StorageStatus.STALE);

        // then: a FAILED from a prober with a working network is evidence; the other's ERROR does not block it
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertThat(states.get(0).getState()).isEqualTo(HostStatus.DEAD);
        assertThat(states.get(0).getObservedAt()).isEqualTo(Instant.ofEpochMilli(detector.now()));
    }

    @Test
    void shouldUpgradeDeadWhenALatePingOkArrives() {
        // given
        ProbeRequest request = silence(HOST);
        detector.result(request, "prober-a", PingStatus.FAILED, StorageStatus.FRESH);
        detector.advanceBy(1500);
        assertThat(detector.hostStatesOf(HOST))
                .extracting(HostState::getState)
                .containsExactly(HostStatus.RUNNING, HostStatus.ISOLATED);

        // when: a second vantage point, slower, reaches the host
        detector.result(request, "prober-b", PingStatus.OK, StorageStatus.FRESH);

        // then
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.PARTITIONED, StateReason.HEARTBEAT_PATH_BROKEN);
        assertThat(states.get(0).getPreviousState()).isEqualTo(HostStatus.ISOLATED);
    }

    @Test
    void shouldWriteEveryTransitionToHistoryAndTheSameToHostStates() {
        // given
        classify(PingStatus.FAILED, StorageStatus.STALE);
        detector.heartbeat(HOST);

        // then
        List<HostState> history = detector.history();
        assertThat(history)
                .extracting(HostState::getState)
                .containsExactly(HostStatus.RUNNING, HostStatus.DEAD, HostStatus.RUNNING);
        assertThat(history)
                .extracting(HostState::getReason)
                .containsExactly(
                        StateReason.HEARTBEATING, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN, StateReason.RECOVERED);
    }

    @Test
    void shouldDetectASilentHostWhenOnlyTicksArrive() {
        // given: the only host of the partition
        detector.heartbeat(HOST);

        // when: nothing but ticks
        detector.advanceBy(3500);

        // then
        assertThat(detector.singleProbeRequest().getHost()).isEqualTo(HOST);
    }

    @Test
    void shouldGiveRunningHostsAFreshTimeoutWhenThePipelineItselfStalled() {
        // given
        detector.heartbeat(HOST);
        detector.heartbeat("compute-2");
        detector.advanceBy(1000);

        // when: no record at all for 30 s (broker down), then the pipeline resumes
        detector.jumpTo(detector.now() + 30_000);
        detector.advanceBy(1000);
        detector.heartbeat("compute-2");
        detector.advanceBy(1000);

        // then: nobody was probed for the outage
        assertThat(detector.probeRequests()).isEmpty();

        // and a host that stays silent is probed one timeout after the pipeline resumed
        detector.advanceBy(1500);
        ProbeRequest request = detector.singleProbeRequest();
        assertThat(request.getHost()).isEqualTo(HOST);
        assertThat(request.getRequestedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 1000 + 30_000 + 3000));
    }

    @Test
    void shouldDropAHeartbeatWithoutAHostKeyAndKeepProcessing() {
        // when
        detector.unkeyedHeartbeat("compute-9");
        detector.heartbeat(HOST);

        // then
        assertThat(detector.hostStates()).extracting(HostState::getHost).containsExactly(HOST);
        assertThat(detector.record("compute-9")).isNull();
    }

    @Test
    void shouldReprobeAnUnknownHostAfterTheReprobeInterval() {
        try (DetectorDriver reprobing = reprobingDetector()) {
            // given
            reprobing.heartbeat(HOST);
            reprobing.advanceBy(3500);
            ProbeRequest first = reprobing.singleProbeRequest();
            reprobing.result(first, "prober-a", PingStatus.ERROR, StorageStatus.ERROR);
            reprobing.advanceBy(1500);
            assertThat(reprobing.hostStatesOf(HOST))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.RUNNING, HostStatus.UNKNOWN);

            // when
            reprobing.advanceBy(10_000);

            // then
            ProbeRequest again = reprobing.singleProbeRequest();
            assertThat(again.getAttempt()).isEqualTo(2);
            reprobing.result(again, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
            reprobing.advanceBy(1500);
            assertThat(reprobing.hostStatesOf(HOST))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.DEAD);
        }
    }

    @Test
    void shouldWaitForTheCollectionWindowWhenTheFirstAnswerArrivesAfterProbeTimeout() {
        // given: no answer to any attempt, the host settled as UNKNOWN/PROBE_TIMEOUT
        ProbeRequest first = silence(HOST);
        detector.advanceBy(3000);
        detector.singleProbeRequest();
        detector.advanceBy(3000);
        ProbeRequest third = detector.singleProbeRequest();
        detector.advanceBy(3000);
        assertThat(detector.hostStatesOf(HOST))
                .extracting(HostState::getReason)
                .containsExactly(StateReason.HEARTBEATING, StateReason.PROBE_TIMEOUT);

        // when: one prober's late answer says FAILED + STALE
        detector.result(third, "prober-a", PingStatus.FAILED, StorageStatus.STALE);

        // then: not DEAD on one vantage point's word while the others still have their window
        assertThat(detector.hostStates()).isEmpty();
        detector.advanceBy(500);
        detector.result(first, "prober-b", PingStatus.OK, StorageStatus.STALE);
        detector.advanceBy(1500);
        List<HostState> states = detector.hostStates();
        assertThat(states).extracting(HostState::getState).containsExactly(HostStatus.SERVICE_UNREACHABLE);
    }

    @Test
    void shouldNotLetAnswersOfAnEarlierRoundFillTheQuorum() {
        try (DetectorDriver reprobing = reprobingDetector()) {
            // given: round 1 is inconclusive, with answers from both probers
            reprobing.heartbeat(HOST);
            reprobing.advanceBy(3500);
            ProbeRequest first = reprobing.singleProbeRequest();
            reprobing.result(first, "prober-a", PingStatus.ERROR, StorageStatus.ERROR);
            reprobing.result(first, "prober-b", PingStatus.ERROR, StorageStatus.STALE);
            assertThat(reprobing.hostStatesOf(HOST))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.RUNNING, HostStatus.UNKNOWN);

            // when: round 2, prober-a answers first, FAILED + STALE
            reprobing.advanceBy(10_000);
            ProbeRequest second = reprobing.singleProbeRequest();
            reprobing.result(second, "prober-a", PingStatus.FAILED, StorageStatus.STALE);

            // then: prober-b's answer to round 1 does not complete the quorum, so no DEAD yet ...
            assertThat(reprobing.hostStates()).isEmpty();
            assertThat(reprobing.record(HOST).evidence)
                    .extracting(ProberEvidence::prober)
                    .containsExactly("prober-a");

            // ... and prober-b's answer to this round, ping OK, decides
            reprobing.advanceBy(500);
            reprobing.result(second, "prober-b", PingStatus.OK, StorageStatus.STALE);
            assertThat(reprobing.hostStatesOf(HOST))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.SERVICE_UNREACHABLE);
        }
    }

    @Test
    void shouldNotPairAnEarlierRoundsStaleStorageWithThisRoundsFailedPing() {
        try (DetectorDriver reprobing = reprobingDetector()) {
            // given: round 1 saw stale storage but no ping
            reprobing.heartbeat(HOST);
            reprobing.advanceBy(3500);
            reprobing.result(reprobing.singleProbeRequest(), "prober-a", PingStatus.ERROR, StorageStatus.STALE);
            reprobing.advanceBy(1500);
            assertThat(reprobing.hostStatesOf(HOST))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.RUNNING, HostStatus.UNKNOWN);

            // when: round 2 sees the ping fail but cannot read the storage
            reprobing.advanceBy(10_000);
            ProbeRequest second = reprobing.singleProbeRequest();
            reprobing.result(second, "prober-a", PingStatus.FAILED, StorageStatus.ERROR);
            reprobing.advanceBy(1500);

            // then: no round saw both, so still no DEAD
            assertThat(reprobing.hostStates()).isEmpty();
            assertThat(reprobing.record(HOST).verdict.state()).isEqualTo(HostStatus.UNKNOWN);
        }
    }

    @Test
    void shouldIgnoreAnAnswerToAnEarlierRoundOnceANewRoundStarted() {
        try (DetectorDriver reprobing = reprobingDetector()) {
            // given
            reprobing.heartbeat(HOST);
            reprobing.advanceBy(3500);
            ProbeRequest first = reprobing.singleProbeRequest();
            reprobing.result(first, "prober-a", PingStatus.ERROR, StorageStatus.ERROR);
            reprobing.advanceBy(1500);
            reprobing.advanceBy(10_000);
            assertThat(reprobing.singleProbeRequest().getAttempt()).isEqualTo(2);
            reprobing.hostStates();

            // when: a slow prober's answer to round 1
            reprobing.result(first, "prober-b", PingStatus.FAILED, StorageStatus.STALE);
            reprobing.advanceBy(1500);

            // then
            assertThat(reprobing.hostStates()).isEmpty();
            assertThat(reprobing.record(HOST).evidence).isEmpty();
        }
    }

    @Test
    void shouldReportEveryAgentRestartWhileRunning() {
        // given
        detector.heartbeat(HOST);
        detector.advanceBy(1000);
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setAgentInstance("agent-second"));
        detector.advanceBy(1000);

        // when: the agent restarts again
        detector.heartbeat(DetectorDriver.heartbeatOf(HOST).setAgentInstance("agent-third"));

        // then
        List<HostState> states = detector.hostStates();
        assertThat(states)
                .extracting(HostState::getReason)
                .containsExactly(StateReason.HEARTBEATING, StateReason.AGENT_RESTARTED, StateReason.AGENT_RESTARTED);
        assertThat(states.get(2).getObservedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2000));
    }

    @Test
    void shouldReadAHeartbeatWrittenWithANewerSchemaVersion() throws Exception {
        // given: a later agent version added a field (with a default, as contract section 7 requires)
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : Heartbeat.getClassSchema().getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("numaNodes", Schema.create(Schema.Type.INT), "added by a later agent", 1));
        Schema newer = Schema.createRecord("Heartbeat", "v2", "io.hostwatch.schema", false, fields);
        int id = detector.registry.register(detector.topics.heartbeats().name() + "-value", newer);
        GenericRecord heartbeat = new GenericData.Record(newer);
        heartbeat.put("host", HOST);
        heartbeat.put("agentInstance", "agent-v2");
        heartbeat.put("sequence", 1L);
        heartbeat.put("sentAt", T0);
        heartbeat.put("intervalMs", 1000);
        heartbeat.put("address", "10.0.0.9");
        heartbeat.put("failureDomain", "az-2");
        heartbeat.put(
                "serviceStatus",
                new GenericData.EnumSymbol(newer.getField("serviceStatus").schema(), "OK"));
        heartbeat.put("storageSequence", 5L);
        heartbeat.put("storageWriteOk", true);
        heartbeat.put("agentVersion", "2.0");
        heartbeat.put("numaNodes", 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(newer).write(heartbeat, encoder);
        encoder.flush();

        // when
        detector.rawHeartbeat(HOST, bytes.toByteArray());

        // then: resolved against the detector's schema, the unknown field skipped
        List<HostState> states = detector.hostStates();
        assertThat(states).hasSize(1);
        assertVerdict(states.get(0), HostStatus.RUNNING, StateReason.HEARTBEATING);
        assertThat(detector.record(HOST).failureDomain).isEqualTo("az-2");
        assertThat(detector.record(HOST).storageSequence).isEqualTo(5L);
    }
}
