package io.hostwatch.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    @Test
    void shouldLetEnvironmentOverrideTheFile(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "topic.partitions=6\nschema.registry.url=http://file\n");

        // when
        Map<String, String> values = ConfigSource.load(
                file, Map.of("HOSTWATCH_TOPIC_PARTITIONS", "24", "HOSTWATCH_KAFKA_LINGER_MS", "5", "PATH", "/bin"));

        // then
        assertThat(values)
                .containsEntry("topic.partitions", "24")
                .containsEntry("schema.registry.url", "http://file")
                .containsEntry("kafka.linger.ms", "5")
                .doesNotContainKey("path");
    }

    @Test
    void shouldFailClearlyOnMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigSource.load(dir.resolve("nope.properties"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.properties");
    }

    @Test
    void shouldBuildClusterConfigWithKafkaPassThrough() {
        // given
        Map<String, String> raw = Map.of(
                "kafka.bootstrap.servers",
                "127.0.0.1:9092",
                "schema.registry.url",
                "http://127.0.0.1:8081",
                "kafka.linger.ms",
                "5",
                "topic.prefix",
                "x.");

        // when
        ClusterConfig cluster = ClusterConfig.from(new AbstractConfig(ClusterConfig.define(new ConfigDef()), raw));

        // then
        assertThat(cluster.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(cluster.topics().heartbeats()).isEqualTo("x.heartbeats");
        assertThat(cluster.clientProperties(Map.of("acks", "all")))
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("linger.ms", "5")
                .containsEntry("acks", "all");
    }

    @Test
    void shouldRejectMissingBootstrapServers() {
        assertThatThrownBy(() -> new AbstractConfig(
                        ClusterConfig.define(new ConfigDef()), Map.of("schema.registry.url", "http://r")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    @Test
    void shouldRejectRegistryUrlWithoutScheme() {
        AbstractConfig config = new AbstractConfig(
                ClusterConfig.define(new ConfigDef()),
                Map.of("kafka.bootstrap.servers", "h:1", "schema.registry.url", "registry:8081"));
        assertThatThrownBy(() -> ClusterConfig.from(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http://");
    }
}
