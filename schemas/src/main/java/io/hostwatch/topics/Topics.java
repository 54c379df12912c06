package io.hostwatch.topics;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.Tick;
import io.hostwatch.serde.AvroSerde;
import io.hostwatch.serde.SchemaRegistryClient;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * hostwatch's topics with their serdes (contract sections 3 and 7). Keys are plain UTF-8 host ids; values are Avro
 * in the Confluent wire format; dead letters are the raw bytes that could not be decoded.
 */
public record Topics(
        TopicLayout layout,
        Topic<String, Heartbeat> heartbeats,
        Topic<String, Tick> ticks,
        Topic<String, ProbeRequest> probeRequests,
        Topic<String, ProbeResult> probeResults,
        Topic<String, HostState> hostStates,
        Topic<String, HostState> hostStateHistory,
        Topic<byte[], byte[]> deadLetters) {

    public static Topics create(TopicLayout layout, SchemaRegistryClient registry) {
        Serde<String> keys = Serdes.String();
        AvroSerde<HostState> hostStates = AvroSerde.of(HostState.class, registry);
        return new Topics(
                layout,
                new Topic<>(layout.heartbeats(), keys, AvroSerde.of(Heartbeat.class, registry)),
                new Topic<>(layout.ticks(), keys, AvroSerde.of(Tick.class, registry)),
                new Topic<>(layout.probeRequests(), keys, AvroSerde.of(ProbeRequest.class, registry)),
                new Topic<>(layout.probeResults(), keys, AvroSerde.of(ProbeResult.class, registry)),
                new Topic<>(layout.hostStates(), keys, hostStates),
                new Topic<>(layout.hostStateHistory(), keys, hostStates),
                new Topic<>(layout.deadLetters(), Serdes.ByteArray(), Serdes.ByteArray()));
    }
}
