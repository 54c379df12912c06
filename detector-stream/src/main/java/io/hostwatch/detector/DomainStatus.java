package io.hostwatch.detector;

import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A failure domain's guard totals and decision: the value of the aggregator's store {@code detector-domain-counts}
 * and of the global store {@code detector-domain-guard} every task reads.
 *
 * @param known   hosts counted in the domain (heartbeating, or silent for less than a heartbeat timeout, or held)
 * @param silent  of those, the silent ones
 * @param holding whether DEAD/ISOLATED verdicts in the domain are held
 */
public record DomainStatus(int known, int silent, boolean holding) {
    static final DomainStatus EMPTY = new DomainStatus(0, 0, false);

    DomainStatus plus(DomainDelta delta, double fraction, int minSilent) {
        int k = Math.max(0, known + delta.known());
        int s = Math.max(0, silent + delta.silent());
        return new DomainStatus(k, s, s >= minSilent && s > fraction * k);
    }

    static final class StatusSerde
            implements Serde<DomainStatus>, Serializer<DomainStatus>, Deserializer<DomainStatus> {
        @Override
        public byte[] serialize(String topic, DomainStatus status) {
            if (status == null) {
                return null;
            }
            BinaryWriter out = new BinaryWriter(12);
            out.writeByte(1);
            out.writeVarInt(status.known());
            out.writeVarInt(status.silent());
            out.writeBoolean(status.holding());
            return out.toByteArray();
        }

        @Override
        public DomainStatus deserialize(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            BinaryReader in = new BinaryReader(bytes);
            int version = in.readByte();
            if (version != 1) {
                throw new SerializationException("Unknown DomainStatus version " + version);
            }
            return new DomainStatus(in.readVarInt(), in.readVarInt(), in.readBoolean());
        }

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {}

        @Override
        public Serializer<DomainStatus> serializer() {
            return this;
        }

        @Override
        public Deserializer<DomainStatus> deserializer() {
            return this;
        }
    }
}
