package io.hostwatch.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for any generated hostwatch message, in the Confluent wire format: magic byte 0, 4-byte big-endian schema
 * id, Avro binary. Schemas are registered under TopicNameStrategy subjects ({@code <topic>-value}). Records
 * written with another (older or newer) schema are read through Avro schema resolution.
 *
 * <p>Thread-safe; wrap the registry client in {@link CachingSchemaRegistryClient} (as {@link SchemaRegistryClients}
 * does) so that only the first record per subject or schema id costs an HTTP call.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private final Class<T> type;
    private final Schema readerSchema;
    private final SpecificData model;
    private final SchemaRegistryClient registry;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readerById = new ConcurrentHashMap<>();

    public AvroSerde(Class<T> type, SchemaRegistryClient registry) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.registry = registry;
        this.writer = new SpecificDatumWriter<>(readerSchema, model);
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaRegistryClient registry) {
        return new AvroSerde<>(type, registry);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        int id = idBySubject.computeIfAbsent(topic + "-value", subject -> registry.register(subject, readerSchema));
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_SIZE) {
            throw new UndecodableRecordException("Record of " + bytes.length + " bytes on " + topic
                    + " is too short for the Confluent wire format (5-byte header)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new UndecodableRecordException("Record on " + topic + " starts with byte " + magic
                    + ", not the Confluent wire format's magic byte 0");
        }
        int id = buffer.getInt();
        DatumReader<T> reader = readerFor(id, topic);
        try {
            BinaryDecoder decoder =
                    DecoderFactory.get().binaryDecoder(bytes, HEADER_SIZE, bytes.length - HEADER_SIZE, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new UndecodableRecordException("Record on " + topic + " with schema id " + id + " has "
                        + "trailing bytes after a complete " + type.getSimpleName());
            }
            return value;
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | ClassCastException
                | NegativeArraySizeException e) {
            throw new UndecodableRecordException(
                    "Record on " + topic + " with schema id " + id + " is not a valid " + type.getSimpleName() + ": "
                            + e,
                    e);
        }
    }

    private DatumReader<T> readerFor(int id, String topic) {
        DatumReader<T> cached = readerById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(id);
        } catch (SchemaNotFoundException e) {
            throw new UndecodableRecordException(
                    "Record on " + topic + " references schema id " + id + ", which the schema registry does not know",
                    e);
        }
        if (!writerSchema.getFullName().equals(readerSchema.getFullName())) {
            throw new UndecodableRecordException("Record on " + topic + " is a " + writerSchema.getFullName()
                    + " (schema id " + id + "), expected " + readerSchema.getFullName());
        }
        DatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
        readerById.putIfAbsent(id, reader);
        return reader;
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured by construction
    }

    @Override
    public void close() {
        // nothing to release; the registry client is shared
    }
}
