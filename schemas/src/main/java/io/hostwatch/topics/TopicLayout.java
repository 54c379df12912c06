package io.hostwatch.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The names and shapes of hostwatch's topics (contract section 3): one prefix, one partition count shared by every
 * host-keyed topic so that heartbeats, ticks and probe results of a host meet in the same task.
 */
public record TopicLayout(String prefix, int partitions) {
    public static final String DEFAULT_PREFIX = "hostwatch.";
    public static final int DEFAULT_PARTITIONS = 12;

    public TopicLayout {
        if (prefix == null) {
            throw new IllegalArgumentException("topic prefix must not be null");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
    }

    public static TopicLayout defaults() {
        return new TopicLayout(DEFAULT_PREFIX, DEFAULT_PARTITIONS);
    }

    public String heartbeats() {
        return prefix + "heartbeats";
    }

    public String ticks() {
        return prefix + "ticks";
    }

    public String probeRequests() {
        return prefix + "probe-requests";
    }

    public String probeResults() {
        return prefix + "probe-results";
    }

    public String hostStates() {
        return prefix + "host-states";
    }

    public String hostStateHistory() {
        return prefix + "host-state-history";
    }

    public String deadLetters() {
        return prefix + "dead-letters";
    }

    /** Every topic with the configs contract section 3 and 4 ask for. */
    public List<TopicSpec> specs() {
        return List.of(
                new TopicSpec(heartbeats(), partitions, deleteAfter(Duration.ofDays(7), true)),
                new TopicSpec(ticks(), partitions, deleteAfter(Duration.ofDays(7), true)),
                new TopicSpec(probeRequests(), partitions, deleteAfter(Duration.ofDays(1), false)),
                new TopicSpec(probeResults(), partitions, deleteAfter(Duration.ofDays(7), true)),
                new TopicSpec(
                        hostStates(),
                        partitions,
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new TopicSpec(hostStateHistory(), partitions, deleteAfter(Duration.ofDays(30), false)),
                new TopicSpec(deadLetters(), partitions, deleteAfter(Duration.ofDays(7), false)));
    }

    /** Broker time, not the agents' clocks, decides gaps (contract section 4). */
    private static Map<String, String> deleteAfter(Duration retention, boolean logAppendTime) {
        Map<String, String> delete = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(retention.toMillis()));
        if (!logAppendTime) {
            return delete;
        }
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(retention.toMillis()),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                "LogAppendTime");
    }
}
