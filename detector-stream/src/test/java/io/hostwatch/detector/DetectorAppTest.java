package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.runtime.cli.ExitCode;
import io.hostwatch.runtime.cli.HostwatchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorAppTest {
    private static final Path SHIPPED_CONFIG = Path.of("../deploy/config/detector.properties");
    private static final String REQUIRED =
            "kafka.bootstrap.servers=localhost:9092\nschema.registry.url=http://localhost:8080\n";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void shouldPrintItsNameAndVersion() {
        // when
        int exit = run(Map.of(), "version");

        // then
        assertThat(exit).isZero();
        assertThat(out()).isEqualTo("hostwatch-detector (development build)\n");
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
        assertThat(out()).startsWith("hostwatch-detector: configuration OK: application.id=hostwatch-detector");
        assertThat(out()).contains("ops=0.0.0.0:8471");
        assertThat(err()).isEmpty();
    }

    @Test
    void shouldMakeAMasterKeyAndAHostKeyReadableByTheOwnerOnly() throws Exception {
        // when
        int generated = run(Map.of(), "keys", "generate-master", "--key-id", "k7", "--out", dir + "/m.key");
        int derived = run(
                Map.of(),
                "keys",
                "derive",
                "--master",
                dir + "/m.key",
                "--host",
                "compute-01",
                "--out",
                dir + "/h.key");

        // then
        assertThat(generated).as(err()).isZero();
        assertThat(derived).as(err()).isZero();
        io.hostwatch.auth.MasterKey master = io.hostwatch.auth.KeyFiles.readMaster(dir.resolve("m.key"), "test");
        assertThat(io.hostwatch.auth.KeyFiles.readHost(dir.resolve("h.key"), "test"))
                .isEqualTo(master.derive("compute-01"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve("h.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldRefuseToStartWithAKeyFileOthersCanRead() throws Exception {
        // given
        Path key = dir.resolve("master-k1.key");
        io.hostwatch.auth.KeyFiles.write(key, io.hostwatch.auth.KeyFiles.generateMaster("k1"));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        // when
        int exit = run(
                Map.of(),
                "check-config",
                "--config",
                config(REQUIRED + "auth.master.key.files=" + key + "\n").toString());

        // then
        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err())
                .contains("auth.master.key.files")
                .contains(key.toString())
                .contains("rw-r--r--");
    }

    @Test
    void shouldExitTwoNamingTheKeyOnABadConfigFile() throws Exception {
        // given
        Path file = config(REQUIRED + "heartbeat.timeout.ms=soon\n");

        // when
        int ran = run(Map.of(), "run", "--config", file.toString());
        int checked = run(Map.of(), "check-config", "--config", file.toString());
        int missing =
                run(Map.of(), "--config", dir.resolve("missing.properties").toString());

        // then
        assertThat(ran).isEqualTo(ExitCode.USAGE);
        assertThat(checked).isEqualTo(ExitCode.USAGE);
        assertThat(missing).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("heartbeat.timeout.ms").contains("does not exist");
    }

    @Test
    void shouldExitTwoOnABadReplayWindow() {
        assertThat(run(Map.of(), "replay", "--from", "yesterday", "--to", "0")).isEqualTo(ExitCode.USAGE);
        assertThat(run(Map.of(), "replay")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void shouldTakeTheOldHttpKeysAsOpsKeysWithAWarning() throws Exception {
        // given
        Path file = config(REQUIRED + "http.bind=127.0.0.1\nhttp.port=9000\nhttp.advertised.host=d1\n");

        // when
        int exit = run(Map.of(), "check-config", "--config", file.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("ops=127.0.0.1:9000");
        assertThat(err())
                .contains("http.port is deprecated")
                .contains("use ops.port")
                .contains("http.bind is deprecated")
                .contains("use ops.bind.address")
                .contains("http.advertised.host is deprecated")
                .contains("use ops.advertised.host");
    }

    @Test
    void shouldTakeTheOldHttpKeyFromTheEnvironmentToo() throws Exception {
        // given
        Path file = config(REQUIRED);

        // when
        int exit = run(Map.of("HOSTWATCH_HTTP_PORT", "9001"), "check-config", "--config", file.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains(":9001");
        assertThat(err()).contains("http.port is deprecated");
    }

    @Test
    void shouldExitTwoWhenTheOldAndNewKeyDisagree() throws Exception {
        // given
        Path file = config(REQUIRED + "http.port=9000\nops.port=9001\n");

        // when
        int exit = run(Map.of(), "check-config", "--config", file.toString());

        // then
        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("ops.port").contains("http.port");
    }

    @Test
    void shouldDocumentEveryKeyAndTheDeprecatedOnes() {
        // when
        int exit = run(Map.of(), "config-docs");

        // then
        assertThat(exit).isZero();
        for (String key : DetectorConfig.configDef().names()) {
            assertThat(out()).contains(key);
        }
        assertThat(out()).contains("``http.port``: use ``ops.port``");
    }

    @Test
    void shouldPrintATemplateThatPassesCheckConfigOnceTheRequiredKeysAreSet() throws Exception {
        // given
        assertThat(run(Map.of(), "config-template")).isZero();
        String template = out();
        Path file = config(template);
        out.reset();

        // when
        int exit = run(
                Map.of(
                        "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                        "HOSTWATCH_SCHEMA_REGISTRY_URL", "http://localhost:8080"),
                "check-config",
                "--config",
                file.toString());

        // then
        assertThat(template).startsWith("# hostwatch-detector configuration").contains("#ops.port=8471\n");
        assertThat(exit).as(err()).isZero();
        assertThat(out()).contains("heartbeat.timeout.ms=3000");
    }

    private Path config(String text) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "detector", ".properties"), text);
    }

    private int run(Map<String, String> env, String... args) {
        return new HostwatchCli<>(
                        new DetectorApp(),
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
