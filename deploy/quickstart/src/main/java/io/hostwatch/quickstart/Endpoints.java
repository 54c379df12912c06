package io.hostwatch.quickstart;

import java.util.Map;

/** Where the pipeline's broker and registry are, as every component (and test host) sees them. */
record Endpoints(String bootstrapServers, String registryUrl, int partitions) {
    Map<String, String> clusterConfig() {
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "topic.partitions", Integer.toString(partitions));
    }
}
