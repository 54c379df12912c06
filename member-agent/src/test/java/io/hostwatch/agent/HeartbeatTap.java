package io.hostwatch.agent;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.serde.AvroSerde;
import io.hostwatch.serde.SchemaRegistryClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every heartbeat of a topic from the beginning on a background thread, with the broker's timestamps. */
final class HeartbeatTap implements AutoCloseable {

    /** One heartbeat as the broker stored it. */
    record Received(
            Heartbeat heartbeat, long brokerTimestamp, TimestampType timestampType, int partition, long offset) {
        String host() {
            return heartbeat.getHost();
        }

        /** How old the heartbeat was when the broker appended it. */
        long ageAtAppendMillis() {
            return brokerTimestamp - heartbeat.getSentAt().toEpochMilli();
        }
    }

    private final KafkaConsumer<String, Heartbeat> consumer;
    private final List<Received> received = new ArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    HeartbeatTap(String bootstrapServers, String registryUrl, String topic, int partitions) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new StringDeserializer(),
                AvroSerde.of(Heartbeat.class, SchemaRegistryClients.forUrl(registryUrl)));
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
        poller = new Thread(this::poll, "heartbeat-tap");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, Heartbeat> record : consumer.poll(Duration.ofMillis(100))) {
                    synchronized (received) {
                        received.add(new Received(
                                record.value(),
                                record.timestamp(),
                                record.timestampType(),
                                record.partition(),
                                record.offset()));
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } finally {
            consumer.close();
        }
    }

    List<Received> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<Received> of(String host) {
        return matching(r -> r.host().equals(host));
    }

    List<Received> matching(Predicate<Received> filter) {
        return all().stream().filter(filter).toList();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
