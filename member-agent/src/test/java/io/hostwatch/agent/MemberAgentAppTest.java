package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.runtime.cli.ExitCode;
import io.hostwatch.runtime.cli.HostwatchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberAgentAppTest {
    private static final Path SHIPPED_CONFIG = Path.of("../deploy/config/member-agent.properties");
    private static final Map<String, String> REQUIRED = Map.of(
            "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
            "HOSTWATCH_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new HostwatchCli<>(
                        new MemberAgentApp(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env)
                .execute(args);
    }

    @Test
    void shouldPrintItsNameAndVersion() {
        // when
        int code = run(Map.of(), "version");

        // then
        assertThat(code).isZero();
        assertThat(out()).isEqualTo("hostwatch-member-agent (development build)\n");
    }

    @Test
    void shouldAcceptTheShippedExampleConfig(@TempDir Path dir) throws Exception {
        // given: the example's hostname-derived identity needs no environment; its storage.root need not exist;
        // its host key file is made where a test may write
        Path key = dir.resolve("host.key");
        io.hostwatch.auth.KeyFiles.write(
                key, io.hostwatch.auth.KeyFiles.generateMaster("k1").derive("compute-01"));

        // when
        int code = run(
                Map.of("HOSTWATCH_AUTH_KEY_FILE", key.toString()),
                "check-config",
                "--config",
                SHIPPED_CONFIG.toString());

        // then
        assertThat(code).as(err()).isZero();
        assertThat(out()).startsWith("hostwatch-member-agent: configuration OK: hosts=1 host=");
        assertThat(err()).isEmpty();
    }

    @Test
    void shouldExitTwoWithClearMessageWhenConfigIsInvalid(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("bad.properties");
        Files.writeString(
                file,
                "kafka.bootstrap.servers=127.0.0.1:9092\nschema.registry.url=http://r:1\n"
                        + "heartbeat.interval.ms=soon\n");

        // when
        int code = run(Map.of(), "--config", file.toString());

        // then
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("invalid configuration").contains("heartbeat.interval.ms");
    }

    @Test
    void shouldExitTwoWhenBracketedIsolationAddressIsMalformed() {
        // when
        int code = run(
                Map.of(
                        "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS",
                        "127.0.0.1:9092",
                        "HOSTWATCH_SCHEMA_REGISTRY_URL",
                        "http://127.0.0.1:1",
                        "HOSTWATCH_ISOLATION_ADDRESSES",
                        "[fd00::1"),
                "check-config");

        // then
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("invalid configuration").contains("isolation.addresses");
    }

    @Test
    void shouldExitTwoWhenKafkaClientRejectsConfigurationAtStartUp() {
        // given: passes config validation, but KafkaProducer's constructor refuses it (host without port)
        Map<String, String> env = Map.of(
                "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1",
                "HOSTWATCH_SCHEMA_REGISTRY_URL",
                "http://127.0.0.1:1",
                "HOSTWATCH_ISOLATION_ADDRESSES",
                "");

        // when
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> run(env));

        // then: exits instead of retrying forever
        assertThat(code).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("invalid configuration").contains("bootstrap.servers");
    }

    @Test
    void shouldExitTwoWhenKafkaOverrideWouldUndoAnAgentGuarantee() {
        // when
        int code = run(
                Map.of(
                        "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS",
                        "127.0.0.1:9092",
                        "HOSTWATCH_SCHEMA_REGISTRY_URL",
                        "http://127.0.0.1:1",
                        "HOSTWATCH_KAFKA_LINGER_MS",
                        "5000"),
                "check-config");

        // then
        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("kafka.linger.ms").contains("heartbeat.delivery.timeout.ms");
    }

    @Test
    void shouldExitTwoWhenConfigFileIsMissing(@TempDir Path dir) {
        int code = run(Map.of(), "--config", dir.resolve("nope.properties").toString());

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("does not exist");
    }

    @Test
    void shouldExitTwoOnUnknownFlag() {
        assertThat(run(Map.of(), "--bogus")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void shouldResolveSimulatedIdentityWhenCheckingConfig() {
        // when
        int code = run(REQUIRED, "check-config", "--simulate", "3");

        // then
        assertThat(code).isZero();
        assertThat(out()).contains("hosts=3").contains("host=sim-00001").contains("address=127.1.0.1");
    }

    @Test
    void shouldStillCheckWithTheOldFlagAndSaySo() {
        // when
        int code = run(REQUIRED, "--check-config", "--simulate", "2");

        // then
        assertThat(code).isZero();
        assertThat(out()).contains("hosts=2");
        assertThat(err()).contains("--check-config is deprecated");
    }

    @Test
    void shouldPrintEveryKeyInConfigDocs() {
        assertThat(run(Map.of(), "config-docs")).isZero();

        for (String key : MemberAgentConfig.configDef().names()) {
            assertThat(out()).contains(key);
        }
    }

    @Test
    void shouldPrintEveryKeyUnderTheOldDocsFlagWithAWarning() {
        assertThat(run(Map.of(), "--config-docs")).isZero();

        assertThat(out()).contains("heartbeat.delivery.timeout.ms");
        assertThat(err()).contains("--config-docs is deprecated");
    }

    @Test
    void shouldPrintATemplateThatPassesCheckConfigOnceTheRequiredKeysAreSet(@TempDir Path dir) throws Exception {
        // given
        assertThat(run(Map.of(), "config-template")).isZero();
        String template = out();
        Path file = Files.writeString(dir.resolve("agent.properties"), template);
        out.reset();

        // when
        int code = run(REQUIRED, "check-config", "--config", file.toString(), "--simulate", "1");

        // then
        for (String key : MemberAgentConfig.configDef().names()) {
            assertThat(template).containsPattern("(?m)^#?" + key.replace(".", "\\.") + "=");
        }
        assertThat(template).contains("delivery.timeout.ms");
        assertThat(code).as(err()).isZero();
        assertThat(out()).contains("configuration OK");
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
