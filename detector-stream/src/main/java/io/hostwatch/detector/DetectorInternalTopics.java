package io.hostwatch.detector;

import io.hostwatch.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The detector's own topics beyond Kafka Streams' changelogs, named after the application id like Streams' internal
 * topics (so two detector applications never share them). The Processor API cannot declare repartition topics, so
 * the detector creates these two at start-up.
 */
record DetectorInternalTopics(String applicationId, int partitions) {
    /** Guard deltas keyed by failure domain: the repartition from host tasks to domain aggregators. */
    String domainDeltas() {
        return applicationId + "-domain-deltas";
    }

    /** Latest guard totals per domain, read by every instance into a global store. */
    String domainGuard() {
        return applicationId + "-domain-guard";
    }

    List<TopicSpec> specs() {
        return List.of(
                new TopicSpec(
                        domainDeltas(),
                        partitions,
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                Long.toString(Duration.ofDays(1).toMillis()))),
                new TopicSpec(
                        domainGuard(),
                        1,
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }
}
