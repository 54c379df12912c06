package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every store, processor and topic of the topology has the name the operator docs and the query API use. */
class TopologyNamingTest {
    @TempDir
    Path stateDir;

    @Test
    void shouldNameEveryNodeStoreAndTopicExplicitly() {
        try (DetectorDriver detector = new DetectorDriver(stateDir)) {
            // given
            TopologyDescription description =
                    DetectorTopology.build(detector.config, detector.topics).describe();

            // when
            Set<String> nodes = new HashSet<>();
            Set<String> stores = new HashSet<>();
            Set<String> topics = new HashSet<>();
            for (TopologyDescription.Subtopology sub : description.subtopologies()) {
                for (TopologyDescription.Node node : sub.nodes()) {
                    nodes.add(node.name());
                    if (node instanceof TopologyDescription.Processor) {
                        stores.addAll(((TopologyDescription.Processor) node).stores());
                    }
                    if (node instanceof TopologyDescription.Source) {
                        topics.addAll(((TopologyDescription.Source) node).topicSet());
                    }
                    if (node instanceof TopologyDescription.Sink) {
                        topics.add(((TopologyDescription.Sink) node).topic());
                    }
                }
            }
            TopologyDescription.GlobalStore global =
                    description.globalStores().iterator().next();

            // then
            assertThat(description.subtopologies()).hasSize(2);
            assertThat(nodes)
                    .containsExactlyInAnyOrder(
                            DetectorTopology.HEARTBEATS_SOURCE,
                            DetectorTopology.TICKS_SOURCE,
                            DetectorTopology.PROBE_RESULTS_SOURCE,
                            DetectorTopology.HOST_DETECTOR,
                            DetectorTopology.PROBE_REQUESTS_SINK,
                            DetectorTopology.HOST_STATES_SINK,
                            DetectorTopology.HOST_STATE_HISTORY_SINK,
                            DetectorTopology.DOMAIN_DELTAS_SINK,
                            DetectorTopology.DOMAIN_DELTAS_SOURCE,
                            DetectorTopology.DOMAIN_GUARD_AGGREGATOR,
                            DetectorTopology.DOMAIN_GUARD_SINK);
            assertThat(stores)
                    .containsExactlyInAnyOrder("detector-hosts", "detector-timelines", "detector-domain-counts");
            assertThat(topics)
                    .containsExactlyInAnyOrder(
                            "hostwatch.heartbeats",
                            "hostwatch.ticks",
                            "hostwatch.probe-results",
                            "hostwatch.probe-requests",
                            "hostwatch.host-states",
                            "hostwatch.host-state-history",
                            "detector-test-domain-deltas",
                            "detector-test-domain-guard");
            assertThat(global.processor().stores()).containsExactly("detector-domain-guard");
            assertThat(global.source().topicSet()).containsExactly("detector-test-domain-guard");
            assertThat(global.source().name()).isEqualTo(DetectorTopology.DOMAIN_GUARD_SOURCE);
            assertThat(global.processor().name()).isEqualTo(DetectorTopology.DOMAIN_GUARD_UPDATER);
        }
    }
}
