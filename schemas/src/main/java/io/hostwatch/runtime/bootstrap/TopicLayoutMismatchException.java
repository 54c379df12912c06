package io.hostwatch.runtime.bootstrap;

import org.apache.kafka.common.KafkaException;

/** Existing topics differ from what hostwatch needs in a way it must not paper over (e.g. partition count). */
public class TopicLayoutMismatchException extends KafkaException {
    public TopicLayoutMismatchException(String message) {
        super(message);
    }
}
