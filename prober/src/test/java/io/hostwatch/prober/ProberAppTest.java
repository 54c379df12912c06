package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProberAppTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void shouldPrintUsageWhenAskedForHelp() {
        // when
        int exit = run(Map.of(), "--help");

        // then
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config").contains("--describe-config");
    }

    @Test
    void shouldExitTwoWithTheKeyWhenConfigIsInvalid() throws IOException {
        // given
        Path file = dir.resolve("prober.properties");
        Files.writeString(
                file,
                "kafka.bootstrap.servers=127.0.0.1:9092\nschema.registry.url=http://r:8081\n"
                        + "storage.root=/srv/s\nprobe.deadline.ms=soon\n");

        // when
        int exit = run(Map.of(), "--config", file.toString(), "--check-config");

        // then
        assertThat(exit).isEqualTo(ProberApp.EXIT_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Invalid configuration")
                .contains("probe.deadline.ms");
    }

    @Test
    void shouldExitTwoWhenTheConfigFileDoesNotExist() {
        // when
        int exit = run(Map.of(), "--config", dir.resolve("absent.properties").toString());

        // then
        assertThat(exit).isEqualTo(ProberApp.EXIT_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
    }

    @Test
    void shouldAcceptAValidConfigFromFileAndEnvironment() throws IOException {
        // given
        Path file = dir.resolve("prober.properties");
        Files.writeString(file, "kafka.bootstrap.servers=127.0.0.1:9092\nstorage.root=/srv/s\n");

        // when
        int exit = run(
                Map.of("HOSTWATCH_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081", "HOSTWATCH_PROBER_ID", "p9"),
                "--config",
                file.toString(),
                "--check-config");

        // then
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("prober.id=p9");
    }

    @Test
    void shouldDescribeEveryKey() {
        // when
        int exit = run(Map.of(), "--describe-config");

        // then
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("probe.deadline.ms")
                .contains("probe.fanout")
                .contains("storage.recheck.delay.ms")
                .contains("selfcheck.reference.address");
    }

    private int run(Map<String, String> env, String... args) {
        return ProberApp.run(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }

    @Test
    void shouldPrintATemplateThatBecomesAValidConfigOnceTheRequiredKeysAreFilled() throws IOException {
        // when
        int exit = run(Map.of(), "--config-template");
        String template = out.toString(StandardCharsets.UTF_8);

        // then: every key is there, commented with its default, and the template is a working starting point
        assertThat(exit).isZero();
        for (String key : ProberConfig.definition().names()) {
            assertThat(template).contains(key + "=");
        }
        Path file = dir.resolve("from-template.properties");
        Files.writeString(
                file,
                template.replace("kafka.bootstrap.servers=\n", "kafka.bootstrap.servers=127.0.0.1:9092\n")
                        .replace("schema.registry.url=\n", "schema.registry.url=http://127.0.0.1:8081\n")
                        .replace("storage.root=\n", "storage.root=/srv/s\n"));
        out.reset();
        assertThat(run(Map.of(), "--config", file.toString(), "--check-config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("deadline=2000 ms");
    }
}
