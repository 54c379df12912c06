package io.hostwatch.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.StateReason;
import io.hostwatch.serde.InMemorySchemaRegistryClient;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fast engine against the TopologyTestDriver replay it replaces, on the same generated window. */
@Timeout(120)
class ReplayEngineTest {
    @TempDir
    Path scratch;

    static DetectorConfig config(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("kafka.bootstrap.servers", "unused:9092");
        props.put("schema.registry.url", "http://unused");
        props.put(DetectorConfig.APPLICATION_ID_CONFIG, "detector-test");
        props.putAll(overrides);
        return new DetectorConfig(props);
    }

    static Topics topics() {
        return Topics.create(TopicLayout.defaults(), new InMemorySchemaRegistryClient());
    }

    private static List<ConsumerRecord<byte[], byte[]>> fleet(Topics topics, int hosts, int seconds) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        new SyntheticFleet(topics, hosts, seconds, 3000).forEachRemaining(records::add);
        return records;
    }

    @Test
    void shouldPublishWhatTheTopologyTestDriverPublishesFieldByFieldWhenReplayingAFleet() {
        // given: a window with deaths, recoveries, partitions, inconclusive probes and a mass failure
        Topics topics = topics();
        DetectorConfig config =
                config(Map.of("state.dir", scratch.resolve("unused").toString()));
        List<ConsumerRecord<byte[], byte[]>> window = fleet(topics, 120, 100);

        // when
        List<HostState> fast = Replayer.replay(config, topics, window.iterator());
        List<HostState> reference = TopologyTestDriverReplay.replay(config, topics, window, scratch.resolve("ttd"));

        // then
        assertThat(fast)
                .extracting(HostState::getReason)
                .contains(
                        StateReason.HEARTBEATING,
                        StateReason.HARDWARE_FAILURE_OR_SHUTDOWN,
                        StateReason.RECOVERED,
                        StateReason.HEARTBEAT_PATH_BROKEN,
                        StateReason.PROBE_INCONCLUSIVE,
                        StateReason.MASS_FAILURE_SUSPECTED);
        assertThat(fast).hasSize(reference.size()).isEqualTo(reference);
    }

    @Test
    void shouldPublishWhatTheTopologyTestDriverPublishesWhenTheConfigIsChanged() {
        // given
        Topics topics = topics();
        DetectorConfig config = config(Map.of("heartbeat.timeout.ms", "5000", "probe.quorum", "1"));
        List<ConsumerRecord<byte[], byte[]>> window = fleet(topics, 60, 80);

        // when
        List<HostState> fast = Replayer.replay(config, topics, window.iterator());
        List<HostState> reference = TopologyTestDriverReplay.replay(config, topics, window, scratch.resolve("ttd"));

        // then
        assertThat(fast).isNotEmpty().isEqualTo(reference);
    }
}
