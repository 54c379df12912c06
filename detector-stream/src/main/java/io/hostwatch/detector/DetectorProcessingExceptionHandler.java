package io.hostwatch.detector;

import io.hostwatch.deadletter.DeadLetters;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rejected heartbeat ({@link HeartbeatRejectedException}) goes to {@code hostwatch.dead-letters} with its original
 * bytes and a reason header, in the task's transaction (KIP-1034). Any other exception is a bug in one step: it is
 * logged and the record skipped, so one record cannot stop detection for every host (the state machine writes a
 * host's record only after a step completes, so a failed step leaves it unchanged).
 */
public final class DetectorProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorProcessingExceptionHandler.class);

    private String deadLetterTopic;
    private String componentId;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = String.valueOf(configs.get(DeadLetterDeserializationHandler.DEAD_LETTER_TOPIC_CONFIG));
        Object id = configs.get(DeadLetterDeserializationHandler.COMPONENT_ID_CONFIG);
        componentId = id == null ? "detector" : id.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof HeartbeatRejectedException rejected) {
            // debug, not warn: an attacker decides how often this runs; the metric counts them
            LOG.debug(
                    "Dead-lettering heartbeat {}-{}@{}: {}",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    rejected.getMessage());
            return Response.resume(List.of(DeadLetters.record(
                    deadLetterTopic,
                    new DeadLetters.Source(context.topic(), context.partition(), context.offset()),
                    context.sourceRawKey(),
                    context.sourceRawValue(),
                    rejected,
                    componentId,
                    rejected.reason().label())));
        }
        LOG.error(
                "Processing {}-{}@{} failed: skipped",
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        return Response.resume();
    }
}
