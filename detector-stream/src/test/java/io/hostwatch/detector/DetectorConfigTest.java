package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.runtime.config.ConfigSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DetectorConfigTest {
    private static final Path EXAMPLE = Path.of("..", "deploy", "config", "detector.properties");

    private static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", "localhost:9092");
        values.put("schema.registry.url", "http://localhost:8080/apis/ccompat/v7");
        return values;
    }

    @Test
    void shouldUseTheDesignDefaults() {
        DetectorConfig config = new DetectorConfig(minimal());

        assertThat(config.detection().heartbeatTimeoutMs()).isEqualTo(3000);
        assertThat(config.detection().massFailureFraction()).isEqualTo(0.3);
        assertThat(config.tickInterval().toMillis()).isEqualTo(500);
        assertThat(config.applicationId()).isEqualTo("hostwatch-detector");
        assertThat(config.cluster().topics().partitions()).isEqualTo(12);
    }

    @Test
    void shouldDocumentAndParseEveryKeyInTheExampleConfig(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // given the example's master key file, made where a test may write
        Path key = dir.resolve("master-k1.key");
        io.hostwatch.auth.KeyFiles.write(key, io.hostwatch.auth.KeyFiles.generateMaster("k1"));
        Map<String, String> example =
                ConfigSource.load(EXAMPLE, Map.of("HOSTWATCH_AUTH_MASTER_KEY_FILES", key.toString()));

        // then
        assertThat(example.keySet()).containsAll(DetectorConfig.configDef().names());
        assertThat(new DetectorConfig(example).httpPort()).isEqualTo(8471);
    }

    @Test
    void shouldCountSilentHostsForTheGuardHalfATimeoutEarlyUnlessTold() {
        // given
        Map<String, String> values = minimal();
        values.put("heartbeat.timeout.ms", "5000");
        Map<String, String> explicit = new HashMap<>(values);
        explicit.put("mass.failure.lead.ms", "1200");

        // then
        assertThat(new DetectorConfig(values).detection().massFailureLeadMs()).isEqualTo(2500);
        assertThat(new DetectorConfig(explicit).detection().massFailureLeadMs()).isEqualTo(1200);
    }

    @Test
    void shouldRefuseAGuardLeadThatIsNotShorterThanTheHeartbeatTimeout() {
        Map<String, String> values = minimal();
        values.put("mass.failure.lead.ms", "3000");

        assertThatThrownBy(() -> new DetectorConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mass.failure.lead.ms")
                .hasMessageContaining("heartbeat.timeout.ms");
    }

    @Test
    void shouldRefuseAStallThresholdBelowTheTickInterval() {
        Map<String, String> values = minimal();
        values.put("pipeline.stall.ms", "400");

        assertThatThrownBy(() -> new DetectorConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tick.interval.ms");
    }
}
