package io.hostwatch.detector.replay;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.detector.DetectorTopology;
import io.hostwatch.runtime.files.Directories;
import io.hostwatch.schema.HostState;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The replay as it was before the fast engine: the whole window sorted in memory and piped through the topology in a
 * {@link TopologyTestDriver}. Kept as the reference the engine is checked against and as the benchmark's baseline.
 */
final class TopologyTestDriverReplay {
    private TopologyTestDriverReplay() {}

    static List<HostState> replay(
            DetectorConfig config, Topics topics, List<ConsumerRecord<byte[], byte[]>> records, Path stateDir) {
        List<String> order = List.of(
                topics.heartbeats().name(),
                topics.probeResults().name(),
                topics.ticks().name());
        List<ConsumerRecord<byte[], byte[]>> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(r -> order.indexOf(r.topic()))
                .thenComparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        Properties props = DetectorTopology.streamsProperties(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId() + "-replay");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        List<HostState> transitions = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(DetectorTopology.build(config, topics), props)) {
            Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
            for (String topic : order) {
                inputs.put(topic, driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer()));
            }
            TestOutputTopic<String, HostState> history = driver.createOutputTopic(
                    topics.hostStateHistory().name(),
                    topics.hostStateHistory().keySerde().deserializer(),
                    topics.hostStateHistory().valueSerde().deserializer());
            for (ConsumerRecord<byte[], byte[]> record : sorted) {
                inputs.get(record.topic()).pipeInput(record.key(), record.value(), record.timestamp());
                transitions.addAll(history.readValuesToList());
            }
        } finally {
            try {
                Directories.deleteRecursively(stateDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return transitions;
    }
}
