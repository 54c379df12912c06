package io.hostwatch.detector;

import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.serde.UndecodableRecordException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records whose bytes are not a hostwatch message to {@code hostwatch.dead-letters} and goes on (KIP-1034:
 * Kafka Streams writes the returned records in the task's transaction). Anything else, e.g. the schema registry
 * being unreachable, fails the thread: the record may be fine and must be retried, not dead-lettered.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    public static final String DEAD_LETTER_TOPIC_CONFIG = "hostwatch.dead.letter.topic";
    public static final String COMPONENT_ID_CONFIG = "hostwatch.component.id";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String deadLetterTopic;
    private String componentId;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = String.valueOf(configs.get(DEAD_LETTER_TOPIC_CONFIG));
        Object id = configs.get(COMPONENT_ID_CONFIG);
        componentId = id == null ? "detector" : id.toString();
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof UndecodableRecordException)) {
            LOG.error(
                    "Cannot deserialize {}-{}@{} and it is not a bad record: failing so it is retried",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    exception);
            return Response.fail();
        }
        LOG.warn(
                "Dead-lettering {}-{}@{} to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                deadLetterTopic,
                exception.getMessage());
        return Response.resume(List.of(DeadLetters.record(
                deadLetterTopic,
                new DeadLetters.Source(record.topic(), record.partition(), record.offset()),
                record.key(),
                record.value(),
                exception,
                componentId)));
    }
}
