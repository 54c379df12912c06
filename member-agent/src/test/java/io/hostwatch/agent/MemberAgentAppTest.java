package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

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
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return MemberAgentApp.run(
                new MemberAgentApp(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env),
                args);
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
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("invalid configuration")
                .contains("heartbeat.interval.ms");
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
                "--check-config");

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("invalid configuration")
                .contains("isolation.addresses");
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
        assertThat(code).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("invalid configuration")
                .contains("bootstrap.servers");
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
                "--check-config");

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("kafka.linger.ms")
                .contains("heartbeat.delivery.timeout.ms");
    }

    @Test
    void shouldExitTwoWhenConfigFileIsMissing(@TempDir Path dir) {
        int code = run(Map.of(), "--config", dir.resolve("nope.properties").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
    }

    @Test
    void shouldExitTwoOnUnknownFlag() {
        assertThat(run(Map.of(), "--bogus")).isEqualTo(2);
    }

    @Test
    void shouldResolveSimulatedIdentityWhenCheckingConfig() {
        // when
        int code = run(
                Map.of(
                        "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS",
                        "127.0.0.1:9092",
                        "HOSTWATCH_SCHEMA_REGISTRY_URL",
                        "http://127.0.0.1:1"),
                "--check-config",
                "--simulate",
                "3");

        // then
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("hosts=3")
                .contains("host=sim-00001")
                .contains("address=127.1.0.1");
    }

    @Test
    void shouldPrintEveryKeyInConfigDocs() {
        assertThat(run(Map.of(), "--config-docs")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("heartbeat.delivery.timeout.ms")
                .contains("service.down.action")
                .contains("isolation.addresses");
    }
}
