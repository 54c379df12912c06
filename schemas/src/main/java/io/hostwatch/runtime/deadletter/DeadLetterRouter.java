package io.hostwatch.runtime.deadletter;

import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.serde.UndecodableRecordException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes records a plain consumer read as bytes; a record that cannot be decoded goes to the dead-letter topic
 * and the caller simply moves on. The dead letter is written synchronously before the caller commits the
 * source offset, so a bad record is never lost, only moved.
 */
public final class DeadLetterRouter {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRouter.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final String deadLetterTopic;
    private final String componentId;
    private final AtomicLong routed = new AtomicLong();

    public DeadLetterRouter(Producer<byte[], byte[]> producer, String deadLetterTopic, String componentId) {
        this.producer = producer;
        this.deadLetterTopic = deadLetterTopic;
        this.componentId = componentId;
    }

    /** The decoded value, or empty after the record was dead-lettered. Null values (tombstones) are empty too. */
    public <V> Optional<V> decode(ConsumerRecord<byte[], byte[]> record, Deserializer<V> deserializer) {
        try {
            return Optional.ofNullable(deserializer.deserialize(record.topic(), record.headers(), record.value()));
        } catch (UndecodableRecordException e) {
            route(record, e);
            return Optional.empty();
        }
    }

    /** Writes {@code record} to the dead-letter topic and waits for the broker's acknowledgement. */
    public void route(ConsumerRecord<byte[], byte[]> record, Throwable error) {
        DeadLetters.Source source = new DeadLetters.Source(record.topic(), record.partition(), record.offset());
        try {
            producer.send(DeadLetters.record(deadLetterTopic, source, record.key(), record.value(), error, componentId))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not dead-letter " + source + " to " + deadLetterTopic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted dead-lettering " + source, e);
        }
        routed.incrementAndGet();
        LOG.warn(
                "Dead-lettered {}-{}@{} to {}: {}",
                source.topic(),
                source.partition(),
                source.offset(),
                deadLetterTopic,
                error.getMessage());
    }

    /** How many records this router moved to the dead-letter topic. */
    public long routedCount() {
        return routed.get();
    }
}
