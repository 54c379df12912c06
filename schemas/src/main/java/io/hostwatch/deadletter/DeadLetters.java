package io.hostwatch.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The shape of a record on {@code hostwatch.dead-letters}: the original key and value bytes untouched, and
 * headers saying where they came from and why they were rejected. Every component builds dead letters here,
 * whether it consumes with a plain consumer or with Kafka Streams.
 */
public final class DeadLetters {
    public static final String SOURCE_TOPIC = "hostwatch.dlq.source.topic";
    public static final String SOURCE_PARTITION = "hostwatch.dlq.source.partition";
    public static final String SOURCE_OFFSET = "hostwatch.dlq.source.offset";
    public static final String ERROR = "hostwatch.dlq.error";
    public static final String ERROR_CLASS = "hostwatch.dlq.error.class";
    public static final String REJECTED_BY = "hostwatch.dlq.rejected.by";
    /** Why, as a short label (contract section 11), e.g. {@code bad-authenticator}; {@code undecodable} for bytes. */
    public static final String REASON = "hostwatch.dlq.reason";

    public static final String UNDECODABLE = "undecodable";

    private static final int MAX_ERROR_LENGTH = 2000;

    private DeadLetters() {}

    /** Where a rejected record came from. */
    public record Source(String topic, int partition, long offset) {}

    /**
     * @param rejectedBy component id, e.g. {@code prober-1}, so operators know whom to ask
     */
    public static ProducerRecord<byte[], byte[]> record(
            String deadLetterTopic, Source source, byte[] key, byte[] value, Throwable error, String rejectedBy) {
        return record(deadLetterTopic, source, key, value, error, rejectedBy, UNDECODABLE);
    }

    /** @param reason short label of why, the {@value #REASON} header */
    public static ProducerRecord<byte[], byte[]> record(
            String deadLetterTopic,
            Source source,
            byte[] key,
            byte[] value,
            Throwable error,
            String rejectedBy,
            String reason) {
        String message = String.valueOf(error.getMessage());
        if (message.length() > MAX_ERROR_LENGTH) {
            message = message.substring(0, MAX_ERROR_LENGTH);
        }
        List<Header> headers = List.of(
                header(SOURCE_TOPIC, source.topic()),
                header(SOURCE_PARTITION, Integer.toString(source.partition())),
                header(SOURCE_OFFSET, Long.toString(source.offset())),
                header(ERROR, message),
                header(ERROR_CLASS, error.getClass().getName()),
                header(REJECTED_BY, rejectedBy),
                header(REASON, reason));
        return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
