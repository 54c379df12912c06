package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every symbol of every enum the host store holds has a stored form. The store writes enums as indexes into
 * symbol tables frozen in {@link HostRecordSerde}; a symbol added to an Avro enum (a new {@code StateReason}, say)
 * without a table entry would make the detector fail on the first host that reaches it. These tests walk the
 * generated enums, so such a symbol fails the build instead of production.
 */
class HostRecordSerdeSymbolsTest {
    private final HostRecordSerde serde = new HostRecordSerde();

    @ParameterizedTest
    @EnumSource(HostStatus.class)
    void shouldStoreEveryHostStatusAsStateAndAsPreviousState(HostStatus status) {
        // given
        HostRecord r = runningHost();
        r.verdict = new Verdict(status, StateReason.HEARTBEATING, Set.of(), 1L, 2L, status);

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(StateReason.class)
    void shouldStoreEveryStateReason(StateReason reason) {
        // given
        HostRecord r = runningHost();
        r.verdict = new Verdict(HostStatus.UNKNOWN, reason, Set.of(), 1L, 2L, null);

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(HostCondition.class)
    void shouldStoreEveryHostCondition(HostCondition condition) {
        // given
        HostRecord r = runningHost();
        r.verdict = new Verdict(HostStatus.RUNNING, StateReason.RECOVERED, Set.of(condition), 1L, 2L, null);

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(ServiceStatus.class)
    void shouldStoreEveryServiceStatus(ServiceStatus status) {
        // given
        HostRecord r = runningHost();
        r.serviceStatus = status;

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(PingStatus.class)
    void shouldStoreEveryPingStatus(PingStatus status) {
        // given
        HostRecord r = runningHost();
        r.evidence.add(evidence(
                new PingOutcome(status, PingMethod.ICMP, null, null),
                new StorageOutcome(StorageStatus.STALE, 1L, false, null)));

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(PingMethod.class)
    void shouldStoreEveryPingMethod(PingMethod method) {
        // given
        HostRecord r = runningHost();
        r.evidence.add(evidence(
                new PingOutcome(PingStatus.OK, method, 120L, null),
                new StorageOutcome(StorageStatus.STALE, 1L, false, null)));

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(StorageStatus.class)
    void shouldStoreEveryStorageStatus(StorageStatus status) {
        // given
        HostRecord r = runningHost();
        r.evidence.add(evidence(
                new PingOutcome(PingStatus.FAILED, PingMethod.ICMP, null, null),
                new StorageOutcome(status, null, false, "detail")));

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void shouldStoreEveryPhase(Phase phase) {
        // given
        HostRecord r = runningHost();
        r.phase = phase;

        // when / then
        assertRoundTrip(r);
    }

    @ParameterizedTest
    @EnumSource(GuardCount.class)
    void shouldStoreEveryGuardCount(GuardCount count) {
        // given
        HostRecord r = runningHost();
        r.guardCount = count;

        // when / then
        assertRoundTrip(r);
    }

    private void assertRoundTrip(HostRecord r) {
        assertThat(serde.deserialize("t", serde.serialize("t", r)))
                .usingRecursiveComparison()
                .isEqualTo(r);
    }

    private static ProberEvidence evidence(PingOutcome ping, StorageOutcome storage) {
        return new ProberEvidence("prober-a", 1, 1_700_000_000_000L, ping, storage);
    }

    private static HostRecord runningHost() {
        HostRecord r = new HostRecord();
        r.address = "192.0.2.10";
        r.agentInstance = "2f6c1e0a-7d2b-4c55-9a57-3c1d0f9a8e11";
        r.lastHeartbeatAt = 1_700_000_000_123L;
        r.verdict = new Verdict(HostStatus.RUNNING, StateReason.HEARTBEATING, Set.of(), 1L, 1L, null);
        r.guardCount = GuardCount.LIVE;
        r.guardDomain = "default";
        return r;
    }
}
