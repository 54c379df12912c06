package io.hostwatch.detector;

import io.hostwatch.runtime.files.Directories;
import io.hostwatch.schema.HostState;
import io.hostwatch.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays recorded input through the detector's own topology in a {@link TopologyTestDriver}: no consumer group,
 * no writes, no effect on live topics. Records go in in broker-timestamp order (ties: heartbeats, then probe
 * results, then ticks, then partition and offset), which is the order a live task processes them in, so with the
 * live config the transitions equal what {@code hostwatch.host-state-history} recorded (see README for the limits).
 */
public final class Replayer {
    private static final Duration POLL = Duration.ofMillis(500);

    private Replayer() {}

    /** Reads heartbeats, ticks and probe results with broker timestamps in [from, to] (a plain, group-less consumer). */
    public static List<ConsumerRecord<byte[], byte[]>> readWindow(
            DetectorConfig config, Topics topics, Instant from, Instant to) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        defaults.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, Object> props = config.cluster().clientProperties(defaults);
        props.keySet().removeIf(key -> !ConsumerConfig.configNames().contains(key));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(
                    topics.heartbeats().name(),
                    topics.probeResults().name(),
                    topics.ticks().name())) {
                for (int p = 0; p < config.cluster().topics().partitions(); p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<TopicPartition> pending = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp start = starts.get(tp);
                if (start != null && start.offset() < ends.get(tp)) {
                    consumer.seek(tp, start.offset());
                    pending.add(tp);
                }
            }
            consumer.assign(pending);
            while (!pending.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (!pending.contains(tp)) {
                        continue;
                    }
                    if (record.timestamp() > to.toEpochMilli()) {
                        pending.remove(tp);
                        consumer.pause(List.of(tp));
                        continue;
                    }
                    records.add(record);
                }
                for (TopicPartition tp : new ArrayList<>(pending)) {
                    if (consumer.position(tp) >= ends.get(tp)) {
                        pending.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
            }
        }
        return records;
    }

    /**
     * Runs {@code records} through the topology and returns every transition it publishes, in order.
     *
     * @param stateDir scratch directory, emptied afterwards
     */
    public static List<HostState> replay(
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
            deleteRecursively(stateDir);
        }
        return transitions;
    }

    private static void deleteRecursively(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
