package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.auth.Authenticators;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.serde.UndecodableRecordException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The detector's heartbeat input under attack (random bytes, truncated and mutated authentic records, oversized
 * records, wrong schema ids, unknown enum symbols, forged authenticators): never a crash, never a state change,
 * every bad record dead-lettered with a reason, and the next valid record processed.
 */
class DetectorInputPropertyTest {
    private static final String VICTIM = "compute-01";
    private static final Set<String> REASONS = Set.of(
            DeadLetters.UNDECODABLE,
            "empty-value",
            "key-mismatch",
            "invalid-host-id",
            "invalid-address",
            "invalid-sequence",
            "invalid-interval",
            "invalid-field",
            "unauthenticated",
            "unknown-key-id",
            "bad-authenticator",
            "replayed",
            "clock-skew");

    // one topology for every try: building one takes a second
    private static Path dir;
    private static MasterKey master;
    private static DetectorDriver detector;
    private static long sequence;
    private static byte[] authentic;
    private static int unknownEnumSchemaId;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("detector-fuzz");
        master = KeyFiles.generateMaster("k1");
        KeyFiles.write(dir.resolve("k1.key"), master);
        detector = new DetectorDriver(
                dir.resolve("state"),
                Map.of(
                        DetectorConfig.AUTH_MASTER_KEY_FILES_CONFIG,
                        dir.resolve("k1.key").toString(),
                        DetectorConfig.HEARTBEAT_AUTHENTICATION_CONFIG,
                        "required"));
        sendValid();
        authentic = encode(signedHeartbeat(0));
        Schema withExtraSymbol = new Schema.Parser()
                .parse(Heartbeat.getClassSchema().toString().replace("\"DOWN\"]", "\"DOWN\", \"ON_FIRE\"]"));
        unknownEnumSchemaId = detector.registry.register("fuzz-value", withExtraSymbol);
    }

    @AfterContainer
    static void stop() throws IOException {
        detector.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static Heartbeat signedHeartbeat(long seq) {
        return Authenticators.authenticate(
                master.derive(VICTIM),
                DetectorDriver.heartbeatOf(VICTIM)
                        .setSequence(seq)
                        .setSentAt(Instant.ofEpochMilli(detector.now()))
                        .build());
    }

    private static byte[] encode(Heartbeat heartbeat) {
        return detector.topics.heartbeats().valueSerde().serializer().serialize("fuzz", heartbeat);
    }

    private static void sendValid() {
        detector.heartbeatAsIs(VICTIM, signedHeartbeat(++sequence));
    }

    /** One bad record: the record key and the value bytes. */
    record Bad(String kind, String key, byte[] value) {
        @Override
        public String toString() {
            return kind + " key=" + (key == null ? null : key.length() > 40 ? key.substring(0, 40) + "..." : key) + " "
                    + value.length + " bytes";
        }
    }

    @Provide
    Arbitrary<Bad> badRecords() {
        return Arbitraries.oneOf(
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMinSize(1)
                        .ofMaxSize(2000)
                        .map(b -> new Bad("random", VICTIM, b)),
                Arbitraries.integers()
                        .between(0, 200)
                        .map(n -> new Bad(
                                "truncated", VICTIM, Arrays.copyOf(authentic, Math.min(n, authentic.length - 1)))),
                Combinators.combine(
                                Arbitraries.integers().between(0, 10_000),
                                Arbitraries.integers().between(1, 255))
                        .as((at, mask) -> {
                            byte[] mutated = authentic.clone();
                            mutated[at % mutated.length] ^= mask.byteValue();
                            return new Bad("mutated", VICTIM, mutated);
                        }),
                Arbitraries.integers().between(256, 300_000).map(n -> {
                    Heartbeat big = signedHeartbeat(Long.MAX_VALUE - 1);
                    big.setAgentVersion("v".repeat(n));
                    return new Bad(
                            "oversized", VICTIM, encode(Authenticators.authenticate(master.derive(VICTIM), big)));
                }),
                Arbitraries.integers().map(id -> {
                    byte[] wrongId = authentic.clone();
                    ByteBuffer.wrap(wrongId).putInt(1, id == 1 ? 1_000_000 : id);
                    return new Bad("schema-id", VICTIM, wrongId);
                }),
                Arbitraries.bytes().array(byte[].class).ofSize(32).map(tag -> {
                    Heartbeat forged = signedHeartbeat(Long.MAX_VALUE - 1);
                    forged.setServiceStatus(io.hostwatch.schema.ServiceStatus.DOWN);
                    forged.setAuthenticator(ByteBuffer.wrap(tag));
                    return new Bad("forged", VICTIM, encode(forged));
                }),
                Arbitraries.strings()
                        .ofMaxLength(20)
                        .map(other -> new Bad(
                                "other-hosts-key",
                                VICTIM,
                                encode(Authenticators.authenticate(
                                        master.derive("x" + other), signedHeartbeat(Long.MAX_VALUE - 1))))),
                Arbitraries.strings()
                        .ofMaxLength(300)
                        .filter(k -> !k.equals(VICTIM))
                        .map(k -> new Bad("key-mismatch", k, authenticFor(Long.MAX_VALUE - 1))),
                Arbitraries.of("ON_FIRE").map(symbol -> new Bad("unknown-enum", VICTIM, unknownEnum(symbol))));
    }

    private static byte[] authenticFor(long seq) {
        return encode(signedHeartbeat(seq));
    }

    /** A heartbeat written with a newer schema whose ServiceStatus has a symbol this detector does not know. */
    private static byte[] unknownEnum(String symbol) {
        try {
            Schema schema = detector.registry.schemaById(unknownEnumSchemaId);
            GenericRecord record = new GenericData.Record(schema);
            Heartbeat template = signedHeartbeat(Long.MAX_VALUE - 1);
            for (Schema.Field field : schema.getFields()) {
                record.put(field.name(), template.get(field.name()));
            }
            record.put("sentAt", template.getSentAt().toEpochMilli());
            record.put(
                    "serviceStatus",
                    new GenericData.EnumSymbol(schema.getField("serviceStatus").schema(), symbol));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(unknownEnumSchemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property(tries = 400)
    void shouldDeadLetterEveryBadRecordWithoutAStateChangeAndProcessTheNextValidOne(@ForAll("badRecords") Bad bad) {
        // given
        long hosts = detector.hostCount();
        byte[] victim = new HostRecordSerde().serialize("t", detector.record(VICTIM));

        // when
        detector.rawHeartbeatWithKey(bad.key(), bad.value());

        // then
        List<TestRecord<byte[], byte[]>> letters = detector.deadLetters();
        if (letters.isEmpty()) {
            // TopologyTestDriver does not emit the dead letters of the deserialization handler (KIP-1034); a real
            // broker does (DetectorLiveIT). So the record must be one the handler takes: bytes that do not decode.
            assertThatThrownBy(() -> detector.topics
                            .heartbeats()
                            .valueSerde()
                            .deserializer()
                            .deserialize(detector.topics.heartbeats().name(), bad.value()))
                    .as(bad.toString())
                    .isInstanceOf(UndecodableRecordException.class);
        } else {
            assertDeadLetter(bad, letters);
        }
        assertThat(detector.hostCount()).isEqualTo(hosts);
        assertThat(new HostRecordSerde().serialize("t", detector.record(VICTIM)))
                .isEqualTo(victim);

        // and the next valid record is processed
        sendValid();
        assertThat(detector.record(VICTIM).heartbeatSequence).isEqualTo(sequence);
        assertThat(detector.deadLetters()).isEmpty();
    }

    private static void assertDeadLetter(Bad bad, List<TestRecord<byte[], byte[]>> letters) {
        assertThat(letters).as(bad.toString()).hasSize(1);
        Header reason = letters.get(0).headers().lastHeader(DeadLetters.REASON);
        assertThat(reason).as(bad.toString()).isNotNull();
        assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isIn(REASONS);
        assertThat(letters.get(0).value()).isEqualTo(bad.value());
    }
}
