package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.runtime.cli.ExitCode;
import io.hostwatch.runtime.cli.HostwatchCli;
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
    private static final Path SHIPPED_CONFIG = Path.of("../deploy/config/prober.properties");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void shouldListTheSubcommandsWhenAskedForHelp() {
        // when
        int exit = run(Map.of(), "--help");

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("hostwatch-prober").contains("check-config").contains("config-docs");
    }

    @Test
    void shouldPrintItsNameAndVersion() {
        // when
        int exit = run(Map.of(), "version");

        // then
        assertThat(exit).isZero();
        assertThat(out()).isEqualTo("hostwatch-prober (development build)\n");
    }

    @Test
    void shouldAcceptTheShippedExampleConfig() throws Exception {
        // given the example's master key file, somewhere a test may write
        Path key = dir.resolve("master-k1.key");
        io.hostwatch.auth.KeyFiles.write(key, io.hostwatch.auth.KeyFiles.generateMaster("k1"));

        // when
        int exit = run(
                Map.of("HOSTWATCH_AUTH_MASTER_KEY_FILES", key.toString()),
                "check-config",
                "--config",
                SHIPPED_CONFIG.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out()).startsWith("hostwatch-prober: configuration OK: prober.id=prober-az1-a");
        assertThat(err()).isEmpty();
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
        int exit = run(Map.of(), "check-config", "--config", file.toString());

        // then
        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("invalid configuration").contains("probe.deadline.ms");
    }

    @Test
    void shouldExitTwoWhenTheConfigFileDoesNotExist() {
        // when
        int exit = run(Map.of(), "--config", dir.resolve("absent.properties").toString());

        // then
        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("does not exist");
    }

    @Test
    void shouldAcceptAValidConfigFromFileAndEnvironment() throws IOException {
        // given
        Path file = dir.resolve("prober.properties");
        Files.writeString(file, "kafka.bootstrap.servers=127.0.0.1:9092\nstorage.root=/srv/s\n");

        // when
        int exit = run(
                Map.of("HOSTWATCH_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081", "HOSTWATCH_PROBER_ID", "p9"),
                "check-config",
                "--config",
                file.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("prober.id=p9");
    }

    @Test
    void shouldStillCheckWithTheOldFlagAndSaySoOnce() throws IOException {
        // given
        Path file = dir.resolve("prober.properties");
        Files.writeString(file, "kafka.bootstrap.servers=127.0.0.1:9092\nstorage.root=/srv/s\n");

        // when
        int exit = run(
                Map.of("HOSTWATCH_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081"),
                "--config",
                file.toString(),
                "--check-config");

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("configuration OK");
        assertThat(err()).contains("--check-config is deprecated").contains("hostwatch-prober check-config");
    }

    @Test
    void shouldDescribeEveryKey() {
        // when
        int exit = run(Map.of(), "config-docs");

        // then
        assertThat(exit).isZero();
        for (String key : ProberConfig.definition().names()) {
            assertThat(out()).contains(key);
        }
        assertThat(out()).contains("Type: long").contains("Valid Values");
    }

    @Test
    void shouldDescribeEveryKeyUnderTheOldFlagWithAWarning() {
        // when
        int exit = run(Map.of(), "--describe-config");

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("probe.deadline.ms").contains("selfcheck.reference.address");
        assertThat(err()).contains("--describe-config is deprecated");
    }

    @Test
    void shouldPrintATemplateThatBecomesAValidConfigOnceTheRequiredKeysAreFilled() throws IOException {
        // when
        int exit = run(Map.of(), "config-template");
        String template = out();

        // then: every key is there, commented with its default, and the template is a working starting point
        assertThat(exit).isZero();
        for (String key : ProberConfig.definition().names()) {
            assertThat(template).contains(key + "=");
        }
        Path file = dir.resolve("from-template.properties");
        Files.writeString(file, template);
        out.reset();
        int checked = run(
                Map.of(
                        "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                        "HOSTWATCH_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081",
                        "HOSTWATCH_STORAGE_ROOT", "/srv/s"),
                "check-config",
                "--config",
                file.toString());
        assertThat(checked).isZero();
        assertThat(out()).contains("deadline=2000 ms");
    }

    private int run(Map<String, String> env, String... args) {
        return new HostwatchCli<>(
                        new ProberApp(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env)
                .execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
