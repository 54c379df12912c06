package io.hostwatch.agent;

import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Configs and topics for agents under test against the real broker and registry. */
final class AgentFixture {
    static final int PARTITIONS = 3;

    private AgentFixture() {}

    /** Fast heartbeats, isolation detection off, no storage; tests add what they exercise. */
    static Map<String, String> baseConfig(TestCluster cluster, String prefix) {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        values.put("schema.registry.url", cluster.registryUrl());
        values.put("topic.prefix", prefix);
        values.put("topic.partitions", Integer.toString(PARTITIONS));
        values.put("heartbeat.interval.ms", "200");
        values.put("heartbeat.delivery.timeout.ms", "1000");
        values.put("isolation.addresses", "");
        values.put("shutdown.timeout.ms", "2000");
        return values;
    }

    /** Creates the heartbeat topic (the detector's job in production) with LogAppendTime and ready leaders. */
    static String createHeartbeatTopic(TestCluster cluster, String prefix) throws InterruptedException {
        TopicLayout layout = new TopicLayout(prefix, PARTITIONS);
        new TopicBootstrapper(cluster.admin(), (short) 1, Duration.ofSeconds(30))
                .ensure(layout.specs().stream()
                        .filter(spec -> spec.name().equals(layout.heartbeats()))
                        .toList());
        return layout.heartbeats();
    }

    static HeartbeatTap tap(TestCluster cluster, String topic) {
        return new HeartbeatTap(cluster.bootstrapServers(), cluster.registryUrl(), topic, PARTITIONS);
    }
}
