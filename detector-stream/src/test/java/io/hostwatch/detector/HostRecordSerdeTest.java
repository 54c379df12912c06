package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import java.util.Arrays;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class HostRecordSerdeTest {
    private final HostRecordSerde serde = new HostRecordSerde();

    @Test
    void shouldRoundTripEveryFieldOfASilentHost() {
        // given
        HostRecord r = new HostRecord();
        r.address = "192.0.2.10";
        r.agentInstance = "2f6c1e0a-7d2b-4c55-9a57-3c1d0f9a8e11";
        r.failureDomain = "az1";
        r.lastHeartbeatAt = 1_700_000_000_123L;
        r.storageSequence = 99;
        r.storageWriteOk = false;
        r.serviceStatus = ServiceStatus.DEGRADED;
        r.phase = Phase.SETTLED;
        r.attempt = 3;
        r.roundStartAttempt = 2;
        r.silentSince = 1_700_000_003_123L;
        r.lastProbeAt = 1_700_000_006_123L;
        r.firstResultAt = 1_700_000_007_000L;
        r.evidence.add(new ProberEvidence(
                "prober-a",
                3,
                1_700_000_007_000L,
                new PingOutcome(PingStatus.FAILED, PingMethod.TCP, null, "timeout"),
                new StorageOutcome(StorageStatus.FRESH, 104L, true, null)));
        r.verdict = new Verdict(
                HostStatus.ISOLATED,
                StateReason.NETWORK_UNREACHABLE,
                Set.of(HostCondition.SELF_ISOLATION_CONFIRMED),
                1_700_000_007_000L,
                1_700_000_007_000L,
                HostStatus.RUNNING);
        r.guardCount = GuardCount.SILENT;
        r.guardDomain = "az1";
        r.timerAt = 1_700_000_008_000L;

        // when
        HostRecord back = serde.deserialize("t", serde.serialize("t", r));

        // then
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
    }

    @Test
    void shouldKeepARunningHostSmall() {
        // given
        HostRecord r = new HostRecord();
        r.address = "10.20.30.40";
        r.agentInstance = "2f6c1e0a-7d2b-4c55-9a57-3c1d0f9a8e11";
        r.lastHeartbeatAt = 1_700_000_000_123L;
        r.storageSequence = 123_456;
        r.verdict = new Verdict(HostStatus.RUNNING, StateReason.HEARTBEATING, Set.of(), 1L, 1L, null);
        r.guardCount = GuardCount.LIVE;
        r.guardDomain = "default";
        r.timerAt = 1_700_000_003_123L;

        // when
        byte[] bytes = serde.serialize("t", r);

        // then
        assertThat(bytes.length).isLessThan(120);
        assertThat(serde.deserialize("t", bytes)).usingRecursiveComparison().isEqualTo(r);
    }

    @Test
    void shouldRefuseTruncatedOrFutureRecords() {
        HostRecord r = new HostRecord();
        r.verdict = new Verdict(HostStatus.RUNNING, StateReason.HEARTBEATING, Set.of(), 1L, 1L, null);
        byte[] bytes = serde.serialize("t", r);

        assertThatThrownBy(() -> serde.deserialize("t", Arrays.copyOf(bytes, bytes.length - 2)))
                .isInstanceOf(SerializationException.class);
        bytes[0] = 9;
        assertThatThrownBy(() -> serde.deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("version 9");
    }
}
