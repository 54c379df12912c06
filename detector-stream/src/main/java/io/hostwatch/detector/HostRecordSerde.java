package io.hostwatch.detector;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link HostRecord} for the {@code detector-hosts} store and its changelog.
 *
 * <p>Why not Avro with the registry: this is the detector's private state, not a contract other programs read. A
 * registry round trip on restore, a schema id in every changelog record and the Avro object model would cost
 * bytes and CPU on the hottest path (one decode and one encode per heartbeat) for no reader that needs them.
 * A leading format version byte keeps it evolvable: a new field means version 2, and the reader keeps version
 * 1's layout. Enums are written as indexes into symbol lists frozen here (not Java ordinals), so reordering a
 * generated enum cannot silently change stored state.
 */
final class HostRecordSerde implements Serde<HostRecord>, Serializer<HostRecord>, Deserializer<HostRecord> {
    /** Version 2 appends the last heartbeat's sequence and sentAt (replay checks); version 1 still reads. */
    static final int VERSION = 2;

    static final int NONE = 0xFF;

    static final List<String> HOST_STATUS =
            List.of("RUNNING", "DEAD", "SERVICE_UNREACHABLE", "ISOLATED", "PARTITIONED", "UNKNOWN");
    static final List<String> STATE_REASON = List.of(
            "HEARTBEATING",
            "RECOVERED",
            "AGENT_RESTARTED",
            "HARDWARE_FAILURE_OR_SHUTDOWN",
            "SERVICE_PROCESS_CRASHED",
            "NETWORK_UNREACHABLE",
            "HEARTBEAT_PATH_BROKEN",
            "PROBE_INCONCLUSIVE",
            "PROBE_TIMEOUT",
            "SERVICE_REPORTED_DOWN",
            "MASS_FAILURE_SUSPECTED",
            "UNSPECIFIED",
            // appended, never inserted: stored records hold indexes into this list
            "STORAGE_WRITE_FAILING");
    static final List<String> CONDITION = List.of("STORAGE_DEGRADED", "SELF_ISOLATION_CONFIRMED", "UNSPECIFIED");
    private static final List<String> SERVICE_STATUS = List.of("OK", "DEGRADED", "DOWN");
    private static final List<String> PING_STATUS = List.of("OK", "FAILED", "ERROR");
    private static final List<String> PING_METHOD = List.of("ICMP", "TCP");
    private static final List<String> STORAGE_STATUS = List.of("FRESH", "STALE", "MISSING", "ERROR");
    private static final List<String> PHASE = List.of("WATCHING", "PROBING", "SETTLED");
    private static final List<String> GUARD_COUNT = List.of("NONE", "LIVE", "SILENT");

    @Override
    public byte[] serialize(String topic, HostRecord r) {
        if (r == null) {
            return null;
        }
        BinaryWriter out = new BinaryWriter(128);
        out.writeByte(VERSION);
        out.writeString(r.address);
        out.writeString(r.agentInstance);
        out.writeNullableString(r.failureDomain);
        out.writeVarLong(r.lastHeartbeatAt);
        out.writeVarLong(r.storageSequence);
        out.writeBoolean(r.storageWriteOk);
        writeEnum(out, SERVICE_STATUS, r.serviceStatus);
        writeEnum(out, PHASE, r.phase);
        out.writeVarInt(r.attempt);
        out.writeVarInt(r.roundStartAttempt);
        out.writeVarLong(r.silentSince);
        out.writeVarLong(r.lastProbeAt);
        out.writeVarLong(r.firstResultAt);
        out.writeVarInt(r.evidence.size());
        for (ProberEvidence e : r.evidence) {
            out.writeString(e.prober());
            out.writeVarInt(e.attempt());
            out.writeVarLong(e.receivedAt());
            writeEnum(out, PING_STATUS, e.ping().getStatus());
            writeEnum(out, PING_METHOD, e.ping().getMethod());
            out.writeNullableLong(e.ping().getRttMicros());
            out.writeNullableString(e.ping().getDetail());
            writeEnum(out, STORAGE_STATUS, e.storage().getStatus());
            out.writeNullableLong(e.storage().getSequence());
            out.writeBoolean(e.storage().getSelfIsolated());
            out.writeNullableString(e.storage().getDetail());
        }
        Verdict v = r.verdict;
        out.writeBoolean(v != null);
        if (v != null) {
            writeEnum(out, HOST_STATUS, v.state());
            writeEnum(out, STATE_REASON, v.reason());
            int mask = 0;
            for (HostCondition c : v.conditions()) {
                mask |= 1 << CONDITION.indexOf(c.name());
            }
            out.writeVarInt(mask);
            out.writeVarLong(v.since());
            out.writeVarLong(v.observedAt());
            out.writeByte(
                    v.previousState() == null
                            ? NONE
                            : HOST_STATUS.indexOf(v.previousState().name()));
        }
        writeEnum(out, GUARD_COUNT, r.guardCount);
        out.writeNullableString(r.guardDomain);
        out.writeVarLong(r.timerAt);
        out.writeVarLong(r.heartbeatSequence);
        out.writeVarLong(r.heartbeatSentAt);
        return out.toByteArray();
    }

    @Override
    public HostRecord deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        BinaryReader in = new BinaryReader(bytes);
        int version = in.readByte();
        if (version != VERSION && version != 1) {
            throw new SerializationException("Unknown HostRecord format version " + version
                    + " (this detector reads version " + VERSION + "): was the state written by a newer detector?");
        }
        HostRecord r = new HostRecord();
        r.address = in.readString();
        r.agentInstance = in.readString();
        r.failureDomain = in.readNullableString();
        r.lastHeartbeatAt = in.readVarLong();
        r.storageSequence = in.readVarLong();
        r.storageWriteOk = in.readBoolean();
        r.serviceStatus = ServiceStatus.valueOf(readEnum(in, SERVICE_STATUS));
        r.phase = Phase.valueOf(readEnum(in, PHASE));
        r.attempt = in.readVarInt();
        r.roundStartAttempt = in.readVarInt();
        r.silentSince = in.readVarLong();
        r.lastProbeAt = in.readVarLong();
        r.firstResultAt = in.readVarLong();
        int evidence = in.readVarInt();
        for (int i = 0; i < evidence; i++) {
            String prober = in.readString();
            int attempt = in.readVarInt();
            long receivedAt = in.readVarLong();
            PingOutcome ping = new PingOutcome(
                    PingStatus.valueOf(readEnum(in, PING_STATUS)),
                    PingMethod.valueOf(readEnum(in, PING_METHOD)),
                    in.readNullableLong(),
                    in.readNullableString());
            StorageOutcome storage = new StorageOutcome(
                    StorageStatus.valueOf(readEnum(in, STORAGE_STATUS)),
                    in.readNullableLong(),
                    in.readBoolean(),
                    in.readNullableString());
            r.evidence.add(new ProberEvidence(prober, attempt, receivedAt, ping, storage));
        }
        if (in.readBoolean()) {
            HostStatus state = HostStatus.valueOf(readEnum(in, HOST_STATUS));
            StateReason reason = StateReason.valueOf(readEnum(in, STATE_REASON));
            int mask = in.readVarInt();
            Set<HostCondition> conditions = EnumSet.noneOf(HostCondition.class);
            for (int i = 0; i < CONDITION.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    conditions.add(HostCondition.valueOf(CONDITION.get(i)));
                }
            }
            long since = in.readVarLong();
            long observedAt = in.readVarLong();
            int previous = in.readByte();
            r.verdict = new Verdict(
                    state,
                    reason,
                    conditions,
                    since,
                    observedAt,
                    previous == NONE ? null : HostStatus.valueOf(HOST_STATUS.get(previous)));
        }
        r.guardCount = GuardCount.valueOf(readEnum(in, GUARD_COUNT));
        r.guardDomain = in.readNullableString();
        r.timerAt = in.readVarLong();
        if (version >= 2) {
            r.heartbeatSequence = in.readVarLong();
            r.heartbeatSentAt = in.readVarLong();
        }
        if (!in.atEnd()) {
            throw new SerializationException("Trailing bytes after a HostRecord");
        }
        return r;
    }

    static void writeEnum(BinaryWriter out, List<String> symbols, Enum<?> value) {
        int index = symbols.indexOf(value.name());
        if (index < 0) {
            throw new SerializationException("No stored form for " + value + ": add it to HostRecordSerde");
        }
        out.writeByte(index);
    }

    static String readEnum(BinaryReader in, List<String> symbols) {
        int index = in.readByte();
        if (index >= symbols.size()) {
            throw new SerializationException("Enum index " + index + " out of range " + symbols);
        }
        return symbols.get(index);
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public Serializer<HostRecord> serializer() {
        return this;
    }

    @Override
    public Deserializer<HostRecord> deserializer() {
        return this;
    }
}
