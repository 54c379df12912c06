package io.hostwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.runtime.deadletter.DeadLetterRouter;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.serde.Messages;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.serde.UndecodableRecordException;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class DeadLetterIT {
    private static final byte[] WRONG_MAGIC = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNKNOWN_SCHEMA_ID = {0, 0x7f, 0x11, 0x22, 0x33, 2, 4, 6};
    private static final byte[] TOO_SHORT = {0, 1};

    @Test
    void shouldDeadLetterUndecodableRecordsAndGoOnConsuming(TestCluster cluster) throws Exception {
        // given: three kinds of garbage, then a good heartbeat, on one partition
        TopicLayout layout = new TopicLayout(cluster.newTopicPrefix(), 1);
        new TopicBootstrapper(cluster.admin(), (short) -1, Duration.ofSeconds(30)).ensure(layout.specs());
        Topics topics = Topics.create(layout, SchemaRegistryClients.forUrl(cluster.registryUrl()));
        Heartbeat good = Messages.heartbeat("compute-7", 1);
        try (KafkaProducer<byte[], byte[]> producer =
                Clients.producer(cluster.bootstrapServers(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] bad : List.of(WRONG_MAGIC, UNKNOWN_SCHEMA_ID, TOO_SHORT)) {
                producer.send(new ProducerRecord<>(
                                layout.heartbeats(), "compute-7".getBytes(StandardCharsets.UTF_8), bad))
                        .get(30, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>(
                            layout.heartbeats(),
                            "compute-7".getBytes(StandardCharsets.UTF_8),
                            topics.heartbeats().valueSerde().serializer().serialize(layout.heartbeats(), good)))
                    .get(30, TimeUnit.SECONDS);
        }

        // when: a consumer loop decodes through the router
        List<Heartbeat> decoded = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> dlqProducer = Clients.producer(
                        cluster.bootstrapServers(), new ByteArraySerializer(), new ByteArraySerializer());
                KafkaConsumer<byte[], byte[]> consumer = Clients.rawConsumer(cluster.bootstrapServers())) {
            DeadLetterRouter router = new DeadLetterRouter(dlqProducer, layout.deadLetters(), "dead-letter-it");
            for (ConsumerRecord<byte[], byte[]> record :
                    Clients.readAll(consumer, layout.heartbeats(), 4, Duration.ofSeconds(30))) {
                router.decode(record, topics.heartbeats().valueSerde().deserializer())
                        .ifPresent(decoded::add);
            }

            // then: the good record got through, the bad ones were moved with their provenance
            assertThat(decoded).containsExactly(good);
            assertThat(router.routedCount()).isEqualTo(3);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.rawConsumer(cluster.bootstrapServers())) {
            List<ConsumerRecord<byte[], byte[]>> dead =
                    Clients.readAll(consumer, layout.deadLetters(), 3, Duration.ofSeconds(30));
            assertThat(dead)
                    .extracting(ConsumerRecord::value)
                    .containsExactly(WRONG_MAGIC, UNKNOWN_SCHEMA_ID, TOO_SHORT);
            assertThat(dead)
                    .extracting(r -> header(r, DeadLetters.SOURCE_OFFSET))
                    .containsExactly("0", "1", "2");
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, DeadLetters.SOURCE_TOPIC)).isEqualTo(layout.heartbeats());
                assertThat(header(r, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
                assertThat(header(r, DeadLetters.ERROR_CLASS)).isEqualTo(UndecodableRecordException.class.getName());
                assertThat(header(r, DeadLetters.REJECTED_BY)).isEqualTo("dead-letter-it");
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("compute-7");
            });
            assertThat(header(dead.get(0), DeadLetters.ERROR)).contains("magic byte");
            assertThat(header(dead.get(1), DeadLetters.ERROR)).contains("does not know");
            assertThat(header(dead.get(2), DeadLetters.ERROR)).contains("too short");
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
