package io.hostwatch.topics;

import java.util.Map;

/** How one topic must look: name, partition count and the topic configs hostwatch relies on. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
