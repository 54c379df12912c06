package io.hostwatch.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Plain Kafka clients for integration tests. */
final class Clients {
    private Clients() {}

    static <K, V> KafkaProducer<K, V> producer(String bootstrap, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                keys,
                values);
    }

    static <K, V> KafkaConsumer<K, V> consumer(String bootstrap, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                keys,
                values);
    }

    static KafkaConsumer<byte[], byte[]> rawConsumer(String bootstrap) {
        return consumer(bootstrap, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads {@code topic} from the start until {@code count} records arrived or {@code timeout} passed. */
    static <K, V> List<ConsumerRecord<K, V>> readAll(
            KafkaConsumer<K, V> consumer, String topic, int count, Duration timeout) {
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
