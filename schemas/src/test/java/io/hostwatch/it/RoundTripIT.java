package io.hostwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.serde.Messages;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.Topic;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every message type through the real broker and registry, on topics made by the bootstrapper. */
@ExtendWith(LocalClusterExtension.class)
class RoundTripIT {

    @Test
    void shouldRoundTripEveryMessageTypeThroughItsTopic(TestCluster cluster) throws Exception {
        // given
        TopicLayout layout = new TopicLayout(cluster.newTopicPrefix(), 3);
        new TopicBootstrapper(cluster.admin(), (short) -1, Duration.ofSeconds(30)).ensure(layout.specs());
        Topics topics = Topics.create(layout, SchemaRegistryClients.forUrl(cluster.registryUrl()));

        // when / then
        assertRoundTrip(cluster, topics.heartbeats(), "compute-1", Messages.heartbeat("compute-1", 5));
        assertRoundTrip(cluster, topics.ticks(), "tick-2", Messages.tick(2));
        assertRoundTrip(cluster, topics.probeRequests(), "compute-1", Messages.probeRequest("compute-1"));
        assertRoundTrip(cluster, topics.probeResults(), "compute-1", Messages.probeResult("compute-1"));
        assertRoundTrip(cluster, topics.hostStates(), "compute-1", Messages.hostState("compute-1"));
        assertRoundTrip(cluster, topics.hostStateHistory(), "compute-1", Messages.hostState("compute-1"));
    }

    @Test
    void shouldStampHeartbeatsWithBrokerTime(TestCluster cluster) throws Exception {
        // given
        TopicLayout layout = new TopicLayout(cluster.newTopicPrefix(), 3);
        new TopicBootstrapper(cluster.admin(), (short) -1, Duration.ofSeconds(30)).ensure(layout.specs());
        Topics topics = Topics.create(layout, SchemaRegistryClients.forUrl(cluster.registryUrl()));
        long clientClaimedTime = 1_000L;

        // when: a producer claims a timestamp from 1970
        try (KafkaProducer<String, io.hostwatch.schema.Heartbeat> producer = Clients.producer(
                cluster.bootstrapServers(),
                topics.heartbeats().keySerde().serializer(),
                topics.heartbeats().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(
                            layout.heartbeats(), null, clientClaimedTime, "h", Messages.heartbeat("h", 1)))
                    .get(30, TimeUnit.SECONDS);
        }

        // then: the broker's append time wins (contract section 4: agent clocks cannot fake a gap)
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.rawConsumer(cluster.bootstrapServers())) {
            ConsumerRecord<byte[], byte[]> record = Clients.readAll(
                            consumer, layout.heartbeats(), 1, Duration.ofSeconds(30))
                    .get(0);
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.timestamp()).isGreaterThan(clientClaimedTime);
        }
    }

    private static <V> void assertRoundTrip(TestCluster cluster, Topic<String, V> topic, String key, V value)
            throws Exception {
        try (KafkaProducer<String, V> producer = Clients.producer(
                cluster.bootstrapServers(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, V> consumer = Clients.consumer(
                cluster.bootstrapServers(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<ConsumerRecord<String, V>> records =
                    Clients.readAll(consumer, topic.name(), 1, Duration.ofSeconds(30));
            assertThat(records).as(topic.name()).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo(key);
            assertThat(records.get(0).value()).isEqualTo(value);
        }
    }
}
