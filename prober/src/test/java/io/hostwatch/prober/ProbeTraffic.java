package io.hostwatch.prober;

import static org.awaitility.Awaitility.await;

import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The detector's side of a prober test: writes probe requests, reads probe results and dead letters, on the real
 * broker and registry. Reading happens on the caller's thread inside {@link #awaitResults}.
 */
final class ProbeTraffic implements AutoCloseable {
    private final Topics topics;
    private final KafkaProducer<String, ProbeRequest> requests;
    private final KafkaProducer<byte[], byte[]> raw;
    private final KafkaConsumer<String, ProbeResult> results;
    private final KafkaConsumer<byte[], byte[]> deadLetters;
    private final Map<String, List<ProbeResult>> byRequest = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<byte[], byte[]>> dead = new CopyOnWriteArrayList<>();

    ProbeTraffic(TestCluster cluster, TopicLayout layout) {
        topics = Topics.create(layout, SchemaRegistryClients.forUrl(cluster.registryUrl()));
        Map<String, Object> producer = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        requests = new KafkaProducer<>(
                producer,
                topics.probeRequests().keySerde().serializer(),
                topics.probeRequests().valueSerde().serializer());
        raw = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> consumer = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        results = new KafkaConsumer<>(
                consumer,
                topics.probeResults().keySerde().deserializer(),
                topics.probeResults().valueSerde().deserializer());
        results.assign(partitions(layout.probeResults(), layout.partitions()));
        results.seekToBeginning(results.assignment());
        deadLetters = new KafkaConsumer<>(
                consumer,
                topics.deadLetters().keySerde().deserializer(),
                topics.deadLetters().valueSerde().deserializer());
        deadLetters.assign(partitions(layout.deadLetters(), layout.partitions()));
        deadLetters.seekToBeginning(deadLetters.assignment());
    }

    private static List<TopicPartition> partitions(String topic, int count) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            partitions.add(new TopicPartition(topic, i));
        }
        return partitions;
    }

    static ProbeRequest request(String host, String address, long lastStorageSequence) {
        return ProbeRequest.newBuilder()
                .setRequestId(host + "-" + UUID.randomUUID())
                .setHost(host)
                .setAddress(address)
                .setAttempt(1)
                .setLastHeartbeatAt(Instant.now().minusSeconds(3))
                .setLastStorageSequence(lastStorageSequence)
                .setRequestedAt(Instant.now())
                .build();
    }

    ProbeRequest send(ProbeRequest request) throws Exception {
        requests.send(new ProducerRecord<>(topics.probeRequests().name(), request.getHost(), request))
                .get();
        return request;
    }

    void sendRaw(String key, byte[] value) throws Exception {
        raw.send(new ProducerRecord<>(topics.probeRequests().name(), key.getBytes(), value))
                .get();
    }

    /** Waits until every given request has at least {@code perRequest} results; returns all results so far. */
    Map<String, List<ProbeResult>> awaitResults(List<ProbeRequest> sent, int perRequest, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            poll();
            return sent.stream()
                    .allMatch(r ->
                            byRequest.getOrDefault(r.getRequestId(), List.of()).size() >= perRequest);
        });
        return byRequest;
    }

    List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(int count, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            deadLetters.poll(Duration.ofMillis(50)).forEach(dead::add);
            return dead.size() >= count;
        });
        return dead;
    }

    private void poll() {
        for (ConsumerRecord<String, ProbeResult> record : results.poll(Duration.ofMillis(50))) {
            byRequest
                    .computeIfAbsent(record.value().getRequestId(), id -> new CopyOnWriteArrayList<>())
                    .add(record.value());
        }
    }

    @Override
    public void close() {
        requests.close();
        raw.close();
        results.close();
        deadLetters.close();
    }
}
