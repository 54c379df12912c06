package io.hostwatch.detector;

import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A change of one failure domain's guard totals, sent by the task that owns the host to the domain's aggregator
 * (topic {@code <application.id>-domain-deltas}, keyed by domain). Exactly-once processing makes plain sums of
 * deltas exact.
 */
record DomainDelta(int known, int silent) {
    static final class DeltaSerde implements Serde<DomainDelta>, Serializer<DomainDelta>, Deserializer<DomainDelta> {
        @Override
        public byte[] serialize(String topic, DomainDelta delta) {
            if (delta == null) {
                return null;
            }
            BinaryWriter out = new BinaryWriter(8);
            out.writeByte(1);
            out.writeVarInt(delta.known());
            out.writeVarInt(delta.silent());
            return out.toByteArray();
        }

        @Override
        public DomainDelta deserialize(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            BinaryReader in = new BinaryReader(bytes);
            int version = in.readByte();
            if (version != 1) {
                throw new SerializationException("Unknown DomainDelta version " + version);
            }
            return new DomainDelta(in.readVarInt(), in.readVarInt());
        }

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {}

        @Override
        public Serializer<DomainDelta> serializer() {
            return this;
        }

        @Override
        public Deserializer<DomainDelta> deserializer() {
            return this;
        }
    }
}
