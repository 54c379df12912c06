package io.hostwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every current schema against its previous released version (checked in under {@code schemas/v1}): the new
 * reader must read old records (BACKWARD, what the registry enforces) and the old reader must read new records
 * (FORWARD: nova and older components keep running while producers upgrade). When a v2 is released, copy the
 * released files to {@code schemas/v2} and point {@link #PREVIOUS} at it.
 */
class SchemaCompatibilityTest {
    private static final String PREVIOUS = "/schemas/v1/";
    private static final Path CURRENT = Path.of("src/main/avro");
    /** Shared named types first, as the avro-maven-plugin imports them. */
    private static final List<String> FILES = List.of(
            "PingOutcome.avsc",
            "StorageOutcome.avsc",
            "Heartbeat.avsc",
            "Tick.avsc",
            "ProbeRequest.avsc",
            "ProbeResult.avsc",
            "HostState.avsc");

    static Stream<String> messages() {
        return Stream.of(
                "Heartbeat", "Tick", "ProbeRequest", "ProbeResult", "HostState", "PingOutcome", "StorageOutcome");
    }

    @ParameterizedTest
    @MethodSource("messages")
    void shouldReadPreviousVersionRecordsWithCurrentReader(String name) throws IOException {
        Schema current = parseCurrent().getTypes().get("io.hostwatch.schema." + name);
        Schema previous = parsePrevious().getTypes().get("io.hostwatch.schema." + name);

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, previous)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void shouldReadCurrentRecordsWithPreviousVersionReader(String name) throws IOException {
        Schema current = parseCurrent().getTypes().get("io.hostwatch.schema." + name);
        Schema previous = parsePrevious().getTypes().get("io.hostwatch.schema." + name);

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(previous, current)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest
    @MethodSource("messages")
    void shouldDocumentEveryField(String name) throws IOException {
        Schema current = parseCurrent().getTypes().get("io.hostwatch.schema." + name);

        assertThat(current.getDoc()).isNotBlank();
        assertThat(current.getFields())
                .allSatisfy(field -> assertThat(field.doc()).as(field.name()).isNotBlank());
    }

    private static Schema.Parser parseCurrent() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String file : FILES) {
            parser.parse(Files.readString(CURRENT.resolve(file)));
        }
        return parser;
    }

    private static Schema.Parser parsePrevious() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String file : FILES) {
            try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(PREVIOUS + file)) {
                parser.parse(in);
            }
        }
        return parser;
    }
}
