package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.testkit.ExternalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code hostwatch-nova} (dry run, simulated Nova, replaying every event) with the first {@code python3} on
 * the PATH that can import its modules, and returns its JSON lines. Skips (or fails, see {@link ExternalTools})
 * without one.
 */
final class NovaConsumer {
    private static final Path MODULE = Path.of("../nova");

    private NovaConsumer() {}

    static List<JsonNode> run(Endpoints endpoints, int events, Duration timeout)
            throws IOException, InterruptedException {
        Path python = ExternalTools.system().requirePythonModules("confluent_kafka", "avro", "requests");
        Path out = Files.createTempFile("nova-consumer", ".jsonl");
        try {
            Process process = new ProcessBuilder(
                            python.toString(),
                            "-m",
                            "hostwatch_nova",
                            "--simulate-nova",
                            "--replay",
                            "--set",
                            "kafka.bootstrap.servers=" + endpoints.bootstrapServers(),
                            "--set",
                            "registry.url=" + endpoints.registryUrl(),
                            "--set",
                            "kafka.group.id=nova-it-" + UUID.randomUUID(),
                            "--max-records",
                            Integer.toString(events),
                            "--timeout",
                            Long.toString(timeout.toSeconds()))
                    .directory(MODULE.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            boolean finished = process.waitFor(timeout.toSeconds() + 30, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(finished)
                    .as("nova consumer finished; output:\n%s", output)
                    .isTrue();
            assertThat(process.exitValue())
                    .as("nova consumer exit code; output:\n%s", output)
                    .isZero();
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(json.readTree(line));
                }
            }
            return lines;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
