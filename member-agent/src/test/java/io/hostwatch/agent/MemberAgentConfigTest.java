package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.runtime.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberAgentConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        values.put("schema.registry.url", "http://127.0.0.1:8081");
        return values;
    }

    @Test
    void shouldApplyDefaultsWhenOnlyRequiredKeysAreSet() {
        // when
        MemberAgentConfig config = new MemberAgentConfig(minimal());

        // then
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.deliveryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.storageRoot()).isEmpty();
        assertThat(config.serviceCheck()).isEqualTo(MemberAgentConfig.ServiceCheckKind.NONE);
        assertThat(config.serviceDownAction()).isEqualTo(MemberAgentConfig.ServiceDownAction.STOP_HEARTBEATS);
        assertThat(config.isolationAddresses()).containsExactly("gateway");
        assertThat(config.isolationResponseCommand()).isEmpty();
        assertThat(config.opsPort()).isEqualTo(-1);
        assertThat(config.failureDomain()).isEmpty();
    }

    @Test
    void shouldFailWithKeyNameWhenRequiredKeyIsMissing() {
        // given
        Map<String, String> values = minimal();
        values.remove("kafka.bootstrap.servers");

        // then
        assertThatThrownBy(() -> new MemberAgentConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldRequireCommandWhenServiceCheckIsCommand() {
        // given
        Map<String, String> values = minimal();
        values.put("service.check", "command");

        // then
        assertThatThrownBy(() -> new MemberAgentConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("service.check.command");
    }

    @Test
    void shouldRequirePidfileWhenServiceCheckIsPidfile() {
        Map<String, String> values = minimal();
        values.put("service.check", "pidfile");

        assertThatThrownBy(() -> new MemberAgentConfig(values)).hasMessageContaining("service.check.pidfile");
    }

    @Test
    void shouldRequireResponseCommandWhenIsolationResponseIsCommand() {
        Map<String, String> values = minimal();
        values.put("isolation.response", "command");

        assertThatThrownBy(() -> new MemberAgentConfig(values)).hasMessageContaining("isolation.response.command");
    }

    @Test
    void shouldRejectUnknownEnumValues() {
        Map<String, String> values = minimal();
        values.put("service.down.action", "panic");

        assertThatThrownBy(() -> new MemberAgentConfig(values)).hasMessageContaining("service.down.action");
    }

    @Test
    void shouldRejectHostIdThatCannotNameAFile() {
        Map<String, String> values = minimal();
        values.put("host.id", "../etc/passwd");

        assertThatThrownBy(() -> new MemberAgentConfig(values)).hasMessageContaining("host.id");
    }

    @Test
    void shouldRejectIsolationTimeoutShorterThanTwoIntervals() {
        Map<String, String> values = minimal();
        values.put("heartbeat.interval.ms", "1000");
        values.put("isolation.timeout.ms", "1500");

        assertThatThrownBy(() -> new MemberAgentConfig(values)).hasMessageContaining("isolation.timeout.ms");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[fd00::1",
                "[fd00::1]:99999",
                "[fd00::1]:",
                "[fd00::1]22",
                "[]:22",
                "10.0.0.1:0",
                "10.0.0.1:ssh",
                ":22"
            })
    void shouldRejectMalformedIsolationAddressWithKeyName(String entry) {
        Map<String, String> values = minimal();
        values.put("isolation.addresses", "10.0.0.1," + entry);

        assertThatThrownBy(() -> new MemberAgentConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("isolation.addresses")
                .hasMessageContaining(entry);
    }

    @Test
    void shouldAcceptBracketedIpv6IsolationAddressWithAndWithoutPort() {
        Map<String, String> values = minimal();
        values.put("isolation.addresses", "[fd00::1]:22,[fd00::2],fd00::3");

        assertThat(new MemberAgentConfig(values).isolationAddresses())
                .containsExactly("[fd00::1]:22", "[fd00::2]", "fd00::3");
    }

    @Test
    void shouldLetEnvironmentOverrideFile(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("agent.properties");
        Files.writeString(
                file,
                "kafka.bootstrap.servers=file:9092\nschema.registry.url=http://r:1\n"
                        + "heartbeat.interval.ms=500\nfailure.domain=az-file\n");

        // when
        MemberAgentConfig config = new MemberAgentConfig(ConfigSource.load(
                file, Map.of("HOSTWATCH_FAILURE_DOMAIN", "az-env", "HOSTWATCH_KAFKA_LINGER_MS", "7")));

        // then
        assertThat(config.failureDomain()).contains("az-env");
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.cluster().kafkaOverrides()).containsEntry("linger.ms", "7");
    }

    @Test
    void shouldBuildProducerThatNeverBlocksAndDropsStaleHeartbeats() {
        // given
        Map<String, String> values = minimal();
        values.put("heartbeat.delivery.timeout.ms", "2000");

        // when
        Map<String, Object> props = MemberAgent.producerProperties(new MemberAgentConfig(values), 1, "c");

        // then
        assertThat(props)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000)
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        int linger = (Integer) props.get(ProducerConfig.LINGER_MS_CONFIG);
        int request = (Integer) props.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        assertThat(linger + request).isLessThanOrEqualTo(2000);
    }

    @Test
    void shouldLeaveRoomForOneRetryWhenBrokerNeverAnswersARequest() {
        // given
        Map<String, String> values = minimal();
        values.put("heartbeat.delivery.timeout.ms", "3000");

        // when
        Map<String, Object> props = MemberAgent.producerProperties(new MemberAgentConfig(values), 1, "c");

        // then: a timed-out request and its retry both fit in the delivery window
        int linger = (Integer) props.get(ProducerConfig.LINGER_MS_CONFIG);
        int request = (Integer) props.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        assertThat(request).isEqualTo(1000);
        assertThat(linger + 2 * request).isLessThanOrEqualTo(3000);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kafka.max.block.ms",
                "kafka.delivery.timeout.ms",
                "kafka.acks",
                "kafka.enable.idempotence",
                "kafka.max.in.flight.requests.per.connection",
                "kafka.transactional.id",
                "kafka.value.serializer"
            })
    void shouldRejectKafkaOverrideWhenAgentOwnsTheSetting(String key) {
        Map<String, String> values = minimal();
        values.put(key, "1");

        assertThatThrownBy(() -> new MemberAgentConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void shouldNameAgentKeyWhenDeliveryTimeoutIsOverridden() {
        Map<String, String> values = minimal();
        values.put("kafka.delivery.timeout.ms", "120000");

        assertThatThrownBy(() -> new MemberAgentConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("heartbeat.delivery.timeout.ms");
    }

    @Test
    void shouldRejectLingerWhenProducerWouldRefuseToStart() {
        // given: linger.ms + request.timeout.ms > delivery.timeout.ms makes the KafkaProducer constructor throw
        Map<String, String> values = minimal();
        values.put("kafka.linger.ms", "2500");

        // then
        assertThatThrownBy(() -> new MemberAgentConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.linger.ms")
                .hasMessageContaining("heartbeat.delivery.timeout.ms");
    }

    @Test
    void shouldRejectKafkaOverrideWhenProducerConfigRefusesIt() {
        Map<String, String> values = minimal();
        values.put("kafka.retries", "0");

        assertThatThrownBy(() -> new MemberAgentConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.*")
                .hasMessageContaining("retries");
    }

    @Test
    void shouldAcceptKafkaOverridesThatLeaveTheBoundsIntact() {
        Map<String, String> values = minimal();
        values.put("kafka.compression.type", "lz4");
        values.put("kafka.linger.ms", "20");
        values.put("kafka.request.timeout.ms", "1500");

        assertThat(MemberAgent.producerProperties(new MemberAgentConfig(values), 1, "c"))
                .containsEntry("compression.type", "lz4")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
    }
}
