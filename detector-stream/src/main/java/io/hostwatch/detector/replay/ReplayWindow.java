package io.hostwatch.detector.replay;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The recorded input of a window, streamed: heartbeats, probe results and ticks with broker timestamps in [from, to],
 * read by a plain consumer (no group, no commits, {@code read_committed}) and handed out one record at a time in
 * (timestamp; heartbeats, probe results, ticks; partition; offset) order. Each partition is read in offset order and
 * the partitions' heads are merged, so the order equals a sort of the whole window (broker LogAppendTime does not go
 * backwards within a partition) while memory holds only a bounded buffer per partition.
 */
public final class ReplayWindow implements Iterator<ConsumerRecord<byte[], byte[]>>, AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int BUFFER_PER_PARTITION = 10_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> stops;
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers = new HashMap<>();
    private final PriorityQueue<ConsumerRecord<byte[], byte[]>> heads;
    private final long total;

    private ReplayWindow(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> stops,
            Comparator<ConsumerRecord<byte[], byte[]>> order,
            long total) {
        this.consumer = consumer;
        this.stops = stops;
        this.heads = new PriorityQueue<>(order);
        this.total = total;
        stops.keySet().forEach(tp -> buffers.put(tp, new ArrayDeque<>()));
    }

    /**
     * Opens the window and checks it: every input topic exists, no part of it was deleted by retention, and it holds
     * at least one record.
     *
     * @throws ReplayWindowException when it cannot be replayed as asked
     */
    public static ReplayWindow open(DetectorConfig config, Topics topics, Instant from, Instant to) {
        List<String> order = List.of(
                topics.heartbeats().name(),
                topics.probeResults().name(),
                topics.ticks().name());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            Map<String, List<PartitionInfo>> existing = consumer.listTopics();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : order) {
                List<PartitionInfo> infos = existing.get(topic);
                if (infos == null || infos.isEmpty()) {
                    throw new ReplayWindowException("Topic " + topic + " does not exist: nothing recorded to replay");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndTimestamp> earliest = consumer.offsetsForTimes(at(partitions, 0L));
            Map<TopicPartition, OffsetAndTimestamp> starts =
                    consumer.offsetsForTimes(at(partitions, from.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> after =
                    consumer.offsetsForTimes(at(partitions, to.toEpochMilli() + 1));
            Map<TopicPartition, Long> stops = new HashMap<>();
            Map<TopicPartition, Long> seeks = new HashMap<>();
            long total = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp first = earliest.get(tp);
                if (beginnings.get(tp) > 0 && first != null && first.timestamp() > from.toEpochMilli()) {
                    throw new ReplayWindowException("The window starts at " + from + " but " + tp
                            + " only holds records from " + Instant.ofEpochMilli(first.timestamp())
                            + " on (older ones were deleted by retention): choose a later --from");
                }
                OffsetAndTimestamp start = starts.get(tp);
                long startOffset = start == null ? ends.get(tp) : start.offset();
                long stopOffset =
                        after.get(tp) == null ? ends.get(tp) : after.get(tp).offset();
                if (stopOffset > startOffset) {
                    stops.put(tp, stopOffset);
                    seeks.put(tp, startOffset);
                    total += stopOffset - startOffset;
                }
            }
            if (total == 0) {
                throw new ReplayWindowException("No heartbeats, probe results or ticks between " + from + " and " + to
                        + ": nothing to replay (check the window, in UTC)");
            }
            consumer.assign(stops.keySet());
            seeks.forEach(consumer::seek);
            Comparator<ConsumerRecord<byte[], byte[]>> merge = Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(
                            ConsumerRecord::timestamp)
                    .thenComparingInt(r -> order.indexOf(r.topic()))
                    .thenComparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset);
            ReplayWindow window = new ReplayWindow(consumer, stops, merge, total);
            window.fill(stops.keySet());
            return window;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Records in the window by offsets (transaction markers and aborted records included, so an upper bound). */
    public long total() {
        return total;
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public ConsumerRecord<byte[], byte[]> next() {
        ConsumerRecord<byte[], byte[]> next = heads.poll();
        if (next == null) {
            throw new NoSuchElementException();
        }
        TopicPartition tp = new TopicPartition(next.topic(), next.partition());
        ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(tp);
        if (buffer.isEmpty()) {
            // the merge may only pick the smallest head once every unfinished partition offers one
            fill(List.of(tp));
        } else {
            heads.add(buffer.poll());
        }
        return next;
    }

    /** Reads until each of {@code wanted} has a head in the merge or has reached its stop offset. */
    private void fill(Iterable<TopicPartition> wanted) {
        List<TopicPartition> waiting = new ArrayList<>();
        for (TopicPartition tp : wanted) {
            if (stops.containsKey(tp)) {
                waiting.add(tp);
            }
        }
        while (true) {
            // position is past every record poll returned: an empty buffer at the stop offset means done, no wait
            for (TopicPartition tp : new ArrayList<>(waiting)) {
                ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(tp);
                if (!buffer.isEmpty()) {
                    heads.add(buffer.poll());
                    waiting.remove(tp);
                } else if (consumer.position(tp) >= stops.get(tp)) {
                    finish(tp);
                    waiting.remove(tp);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            // a full buffer waits: memory stays bounded by partitions, not by the window
            List<TopicPartition> fetch = new ArrayList<>();
            List<TopicPartition> hold = new ArrayList<>();
            buffers.forEach((tp, buffer) -> (buffer.size() >= BUFFER_PER_PARTITION ? hold : fetch).add(tp));
            consumer.pause(hold);
            consumer.resume(fetch);
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                Long stop = stops.get(tp);
                if (stop != null && record.offset() < stop) {
                    buffers.get(tp).add(record);
                }
            }
        }
    }

    private void finish(TopicPartition tp) {
        stops.remove(tp);
        buffers.remove(tp);
        consumer.pause(List.of(tp));
    }

    private static Map<TopicPartition, Long> at(List<TopicPartition> partitions, long timestamp) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, timestamp));
        return query;
    }

    private static Map<String, Object> consumerProperties(DetectorConfig config) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        defaults.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        defaults.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        defaults.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Map<String, Object> props = config.cluster().clientProperties(defaults);
        props.keySet().removeIf(key -> !ConsumerConfig.configNames().contains(key));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
