package io.hostwatch.serde;

import io.hostwatch.schema.Evidence;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.schema.Tick;
import java.time.Instant;
import java.util.List;

/** One fully populated example of every message type, for round-trip tests. */
public final class Messages {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.123Z");

    private Messages() {}

    public static Heartbeat heartbeat(String host, long sequence) {
        return Heartbeat.newBuilder()
                .setHost(host)
                .setAgentInstance("a-1")
                .setSequence(sequence)
                .setSentAt(T0.plusSeconds(sequence))
                .setIntervalMs(1000)
                .setAddress("198.18.0.2")
                .setFailureDomain("az-1")
                .setServiceStatus(ServiceStatus.OK)
                .setStorageSequence(sequence + 7)
                .setStorageWriteOk(true)
                .setAgentVersion("0.1.0")
                .build();
    }

    public static Tick tick(int partition) {
        return Tick.newBuilder()
                .setPartition(partition)
                .setEmitter("detector-1")
                .setEmittedAt(T0)
                .build();
    }

    public static ProbeRequest probeRequest(String host) {
        return ProbeRequest.newBuilder()
                .setRequestId("r-1")
                .setHost(host)
                .setAddress("198.18.0.2")
                .setAttempt(1)
                .setLastHeartbeatAt(T0)
                .setLastStorageSequence(41)
                .setRequestedAt(T0.plusSeconds(3))
                .build();
    }

    public static ProbeResult probeResult(String host) {
        return ProbeResult.newBuilder()
                .setRequestId("r-1")
                .setHost(host)
                .setProber("prober-1")
                .setPing(ping())
                .setStorage(storage())
                .setProbedAt(T0.plusSeconds(4))
                .build();
    }

    public static HostState hostState(String host) {
        return HostState.newBuilder()
                .setHost(host)
                .setState(HostStatus.ISOLATED)
                .setReason(StateReason.NETWORK_UNREACHABLE)
                .setConditions(List.of(HostCondition.SELF_ISOLATION_CONFIRMED))
                .setSince(T0.plusSeconds(5))
                .setObservedAt(T0.plusSeconds(5))
                .setPreviousState(HostStatus.RUNNING)
                .setEvidence(Evidence.newBuilder()
                        .setLastHeartbeatAt(T0)
                        .setPing(ping())
                        .setStorage(storage())
                        .setProbers(List.of("prober-1", "prober-2"))
                        .build())
                .setDetectorVersion("0.1.0")
                .build();
    }

    private static PingOutcome ping() {
        return PingOutcome.newBuilder()
                .setStatus(PingStatus.FAILED)
                .setMethod(PingMethod.ICMP)
                .setRttMicros(null)
                .setDetail("3 of 3 lost")
                .build();
    }

    private static StorageOutcome storage() {
        return StorageOutcome.newBuilder()
                .setStatus(StorageStatus.FRESH)
                .setSequence(44L)
                .setSelfIsolated(true)
                .setDetail(null)
                .build();
    }
}
