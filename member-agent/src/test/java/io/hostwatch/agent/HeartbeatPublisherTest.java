package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.serde.AvroSerde;
import io.hostwatch.serde.InMemorySchemaRegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unit level, with Kafka's MockProducer; the real broker behaviour is covered by the *IT classes. */
class HeartbeatPublisherTest {
    private static final String TOPIC = "t.heartbeats";
    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
    private final AgentMetrics metrics = new AgentMetrics();
    private final AvroSerde<Heartbeat> serde = AvroSerde.of(Heartbeat.class, new InMemorySchemaRegistryClient());
    private final List<MockProducer<String, byte[]>> producers = new ArrayList<>();
    private final List<ConfigException> rejected = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        control.shutdownNow();
    }

    private HeartbeatPublisher publisher() {
        return publisher(this::mockProducer);
    }

    private Producer<String, byte[]> mockProducer() {
        MockProducer<String, byte[]> producer =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        synchronized (producers) {
            producers.add(producer);
        }
        return producer;
    }

    private HeartbeatPublisher publisher(Supplier<Producer<String, byte[]>> factory) {
        return new HeartbeatPublisher(
                TOPIC, serde, factory, heartbeat(0), () -> {}, metrics, control, rejected::add, "User:test");
    }

    /** The real client's constructor, which is what tells a bad configuration from a transient failure. */
    private static Supplier<Producer<String, byte[]>> realProducer(String bootstrapServers, AtomicInteger attempts) {
        return () -> {
            attempts.incrementAndGet();
            return new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                    new StringSerializer(),
                    new ByteArraySerializer());
        };
    }

    private static Heartbeat heartbeat(long sequence) {
        return new Heartbeat(
                "h1",
                "i1",
                sequence,
                Instant.now(),
                1000,
                "127.0.0.1",
                null,
                ServiceStatus.OK,
                -1L,
                true,
                "test",
                null,
                null);
    }

    private MockProducer<String, byte[]> producer(int index) {
        synchronized (producers) {
            return producers.get(index);
        }
    }

    @Test
    void shouldDropAsNotReadyBeforeProducerAndSchemaAreThere() {
        HeartbeatPublisher publisher = publisher();

        assertThat(publisher.publish(heartbeat(0))).isFalse();
        assertThat(metrics.heartbeatsDropped(AgentMetrics.DropReason.NOT_READY)).isEqualTo(1);
    }

    @Test
    void shouldSendEncodedHeartbeatKeyedByHostAndCountAcknowledgement() {
        // given
        HeartbeatPublisher publisher = publisher();
        publisher.start();
        await().atMost(Duration.ofSeconds(5)).until(publisher::ready);
        long before = publisher.lastAckNanos();

        // when
        assertThat(publisher.publish(heartbeat(7))).isTrue();
        producer(0).completeNext();

        // then
        assertThat(producer(0).history()).hasSize(1);
        assertThat(producer(0).history().get(0).key()).isEqualTo("h1");
        assertThat(serde.deserialize(TOPIC, producer(0).history().get(0).value())
                        .getSequence())
                .isEqualTo(7);
        assertThat(metrics.heartbeatsDelivered()).isEqualTo(1);
        assertThat(publisher.lastAckNanos()).isGreaterThan(before);
        assertThat(publisher.everDelivered()).isTrue();
    }

    @Test
    void shouldCountExpiredHeartbeatsAsDroppedNotRetried() {
        // given
        HeartbeatPublisher publisher = publisher();
        publisher.start();
        await().atMost(Duration.ofSeconds(5)).until(publisher::ready);

        // when
        publisher.publish(heartbeat(0));
        producer(0).errorNext(new TimeoutException("Expiring 1 record(s)"));

        // then
        assertThat(metrics.heartbeatsDropped(AgentMetrics.DropReason.TIMEOUT)).isEqualTo(1);
        assertThat(metrics.heartbeatsDelivered()).isZero();
        assertThat(producers).hasSize(1);
    }

    @Test
    void shouldReplaceProducerAfterFatalError() {
        // given
        HeartbeatPublisher publisher = publisher();
        publisher.start();
        await().atMost(Duration.ofSeconds(5)).until(publisher::ready);

        // when
        publisher.publish(heartbeat(0));
        producer(0).errorNext(new OutOfOrderSequenceException("broker lost our sequence"));

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> producers.size() == 2 && publisher.ready());
        assertThat(producer(0).closed()).isTrue();
        assertThat(metrics.producerReplacements()).isEqualTo(1);
        assertThat(publisher.publish(heartbeat(1))).isTrue();
        assertThat(producer(1).history()).hasSize(1);
    }

    @Test
    void shouldGiveUpWithPrincipalAndTopicAfterBoundedAuthorizationRetries() {
        // given: a broker that refuses this principal the heartbeat topic
        AtomicInteger checks = new AtomicInteger();
        HeartbeatPublisher publisher = new HeartbeatPublisher(
                TOPIC,
                serde,
                this::mockProducer,
                heartbeat(0),
                () -> {
                    checks.incrementAndGet();
                    throw new TopicAuthorizationException(Set.of(TOPIC));
                },
                metrics,
                control,
                rejected::add,
                "User:test");

        // when
        publisher.start();

        // then: reported once after the last attempt, naming principal and topic; nothing retried after that
        await().atMost(Duration.ofSeconds(15)).until(() -> !rejected.isEmpty());
        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> checks.get() == HeartbeatPublisher.MAX_AUTHORIZATION_FAILURES);
        assertThat(rejected)
                .singleElement()
                .extracting(ConfigException::getMessage)
                .asString()
                .contains("not authorized")
                .contains("User:test")
                .contains(TOPIC);
        assertThat(publisher.ready()).isFalse();
    }

    @Test
    void shouldReportInvalidConfigurationOnceAndNotRetryWhenProducerConstructionRejectsIt() {
        // given: a bootstrap server without a port
        AtomicInteger attempts = new AtomicInteger();
        HeartbeatPublisher publisher = publisher(realProducer("127.0.0.1", attempts));

        // when
        publisher.start();

        // then: reported, and no second attempt within the first retry delay (1 s) and more
        await().atMost(Duration.ofSeconds(5)).until(() -> !rejected.isEmpty());
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
        assertThat(rejected)
                .singleElement()
                .extracting(ConfigException::getMessage)
                .asString()
                .contains("bootstrap.servers");
        assertThat(publisher.ready()).isFalse();
    }

    @Test
    void shouldRetryProducerConstructionWhenBootstrapNameDoesNotResolveYet() {
        // given: DNS not up yet at boot, which Kafka also reports as a ConfigException (.invalid never resolves)
        AtomicInteger attempts = new AtomicInteger();
        HeartbeatPublisher publisher = publisher(realProducer("no-such-host.invalid:9092", attempts));

        // when
        publisher.start();

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 2);
        assertThat(rejected).isEmpty();
        publisher.close();
    }
}
