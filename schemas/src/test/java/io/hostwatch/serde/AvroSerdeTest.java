package io.hostwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.schema.Tick;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldRoundTripEveryMessageType() {
        assertRoundTrip(Heartbeat.class, Messages.heartbeat("h1", 3));
        assertRoundTrip(Tick.class, Messages.tick(2));
        assertRoundTrip(ProbeRequest.class, Messages.probeRequest("h1"));
        assertRoundTrip(ProbeResult.class, Messages.probeResult("h1"));
        assertRoundTrip(HostState.class, Messages.hostState("h1"));
    }

    @Test
    void shouldWriteConfluentWireFormatWithTheRegisteredId() {
        // given
        AvroSerde<Tick> serde = AvroSerde.of(Tick.class, registry);

        // when
        byte[] bytes = serde.serialize("hostwatch.ticks", Messages.tick(0));

        // then
        int id = registry.register("hostwatch.ticks-value", Tick.getClassSchema());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void shouldRegisterOnlyOncePerSubject() {
        // given
        AtomicInteger registrations = new AtomicInteger();
        SchemaRegistryClient counting = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                registrations.incrementAndGet();
                return registry.register(subject, schema);
            }

            @Override
            public Schema schemaById(int id) {
                return registry.schemaById(id);
            }
        };
        AvroSerde<Heartbeat> serde = AvroSerde.of(Heartbeat.class, counting);

        // when
        for (int i = 0; i < 100; i++) {
            serde.serialize("hostwatch.heartbeats", Messages.heartbeat("h", i));
        }

        // then
        assertThat(registrations).hasValue(1);
    }

    @Test
    void shouldRejectGarbageAsUndecodable() {
        AvroSerde<Heartbeat> serde = AvroSerde.of(Heartbeat.class, registry);
        assertThatThrownBy(() -> serde.deserialize("t", "not avro at all".getBytes()))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("magic byte");
    }

    @Test
    void shouldRejectTooShortRecordAsUndecodable() {
        AvroSerde<Heartbeat> serde = AvroSerde.of(Heartbeat.class, registry);
        assertThatThrownBy(() -> serde.deserialize("t", new byte[] {0, 0, 1}))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void shouldRejectUnknownSchemaIdAsUndecodable() {
        AvroSerde<Heartbeat> serde = AvroSerde.of(Heartbeat.class, registry);
        byte[] bytes = serde.serialize("t", Messages.heartbeat("h", 1));
        ByteBuffer.wrap(bytes).putInt(1, 9999);

        assertThatThrownBy(() -> serde.deserialize("t", bytes))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("9999");
    }

    @Test
    void shouldRejectTruncatedAvroAsUndecodable() {
        AvroSerde<Heartbeat> serde = AvroSerde.of(Heartbeat.class, registry);
        byte[] bytes = serde.serialize("t", Messages.heartbeat("h", 1));

        assertThatThrownBy(() -> serde.deserialize("t", Arrays.copyOf(bytes, bytes.length - 6)))
                .isInstanceOf(UndecodableRecordException.class);
    }

    @Test
    void shouldRejectAnotherMessageTypeAsUndecodable() {
        byte[] tick = AvroSerde.of(Tick.class, registry).serialize("t", Messages.tick(1));

        assertThatThrownBy(() -> AvroSerde.of(Heartbeat.class, registry).deserialize("t", tick))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("io.hostwatch.schema.Tick");
    }

    @Test
    void shouldReadRecordsWrittenWithAnOlderSchemaThroughSchemaResolution() throws Exception {
        // given a record written by an older StorageOutcome schema that had only the status field
        Schema older = SchemaBuilder.record("StorageOutcome")
                .namespace("io.hostwatch.schema")
                .fields()
                .name("status")
                .type(StorageStatus.getClassSchema())
                .noDefault()
                .endRecord();
        GenericRecord record = new GenericData.Record(older);
        record.put("status", new GenericData.EnumSymbol(StorageStatus.getClassSchema(), "STALE"));
        int id = registry.register("t-value", older);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(older).write(record, encoder);
        encoder.flush();

        // when
        StorageOutcome decoded = AvroSerde.of(StorageOutcome.class, registry).deserialize("t", out.toByteArray());

        // then the fields the old writer did not know take their defaults
        assertThat(decoded.getStatus()).isEqualTo(StorageStatus.STALE);
        assertThat(decoded.getSelfIsolated()).isFalse();
        assertThat(decoded.getSequence()).isNull();
    }

    @Test
    void shouldPassNullThroughForTombstones() {
        AvroSerde<HostState> serde = AvroSerde.of(HostState.class, registry);
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    private <T extends SpecificRecord> void assertRoundTrip(Class<T> type, T message) {
        AvroSerde<T> serde = AvroSerde.of(type, registry);
        byte[] bytes = serde.serialize("hostwatch.some-topic", message);
        assertThat(serde.deserialize("hostwatch.some-topic", bytes)).isEqualTo(message);
    }
}
