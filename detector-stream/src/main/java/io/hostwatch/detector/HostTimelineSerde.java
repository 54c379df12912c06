package io.hostwatch.detector;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link HostTimeline} for store {@code detector-timelines} and its changelog, for the same reasons
 * as {@link HostRecordSerde} (private state; a version byte; enums as indexes into {@link HostRecordSerde}'s frozen
 * symbol tables, never ordinals). About 12 bytes per transition, so a full timeline
 * is under 1 KB.
 */
final class HostTimelineSerde implements Serde<HostTimeline>, Serializer<HostTimeline>, Deserializer<HostTimeline> {
    static final int VERSION = 1;

    @Override
    public byte[] serialize(String topic, HostTimeline timeline) {
        if (timeline == null) {
            return null;
        }
        BinaryWriter out = new BinaryWriter(16 + 16 * timeline.entries().size());
        out.writeByte(VERSION);
        out.writeVarInt(timeline.entries().size());
        for (HostTimeline.Entry e : timeline.entries()) {
            HostRecordSerde.writeEnum(out, HostRecordSerde.HOST_STATUS, e.state());
            HostRecordSerde.writeEnum(out, HostRecordSerde.STATE_REASON, e.reason());
            out.writeVarInt(e.conditions().size());
            for (HostCondition c : e.conditions()) {
                HostRecordSerde.writeEnum(out, HostRecordSerde.CONDITION, c);
            }
            if (e.previousState() == null) {
                out.writeByte(HostRecordSerde.NONE);
            } else {
                HostRecordSerde.writeEnum(out, HostRecordSerde.HOST_STATUS, e.previousState());
            }
            out.writeVarLong(e.since());
            // since <= observedAt, usually equal or close: the difference is one or two bytes, not six
            out.writeVarLong(e.observedAt() - e.since());
        }
        return out.toByteArray();
    }

    @Override
    public HostTimeline deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        BinaryReader in = new BinaryReader(bytes);
        int version = in.readByte();
        if (version != VERSION) {
            throw new SerializationException("Unknown HostTimeline version " + version);
        }
        int size = in.readVarInt();
        List<HostTimeline.Entry> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            HostStatus state = HostStatus.valueOf(HostRecordSerde.readEnum(in, HostRecordSerde.HOST_STATUS));
            StateReason reason = StateReason.valueOf(HostRecordSerde.readEnum(in, HostRecordSerde.STATE_REASON));
            int conditionCount = in.readVarInt();
            Set<HostCondition> conditions = EnumSet.noneOf(HostCondition.class);
            for (int c = 0; c < conditionCount; c++) {
                conditions.add(HostCondition.valueOf(HostRecordSerde.readEnum(in, HostRecordSerde.CONDITION)));
            }
            HostStatus previous = previousState(in);
            long since = in.readVarLong();
            entries.add(new HostTimeline.Entry(state, reason, conditions, previous, since, since + in.readVarLong()));
        }
        if (!in.atEnd()) {
            throw new SerializationException("Trailing bytes after a HostTimeline");
        }
        return new HostTimeline(entries);
    }

    private static HostStatus previousState(BinaryReader in) {
        int index = in.readByte();
        if (index == HostRecordSerde.NONE) {
            return null;
        }
        if (index >= HostRecordSerde.HOST_STATUS.size()) {
            throw new SerializationException("Enum index " + index + " out of range " + HostRecordSerde.HOST_STATUS);
        }
        return HostStatus.valueOf(HostRecordSerde.HOST_STATUS.get(index));
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public Serializer<HostTimeline> serializer() {
        return this;
    }

    @Override
    public Deserializer<HostTimeline> deserializer() {
        return this;
    }
}
