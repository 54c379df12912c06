package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /hosts and /hosts/{host} answered correctly by either of two instances, each owning half the hosts. */
@ExtendWith(LocalClusterExtension.class)
class QueryApiIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(DetectorRuntime instance, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerEveryHostFromEitherInstance(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 4)) {
            // given
            List<String> hosts =
                    IntStream.range(0, 8).mapToObj(i -> "compute-" + i).toList();
            hosts.forEach(h -> harness.startHeartbeats(h, null));
            DetectorRuntime a = harness.startDetector(harness.config(Map.of()));
            DetectorRuntime b = harness.startDetector(harness.config(Map.of()));
            List<DetectorRuntime> both = List.of(a, b);
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> both.stream()
                            .allMatch(d -> d.streams().state() == KafkaStreams.State.RUNNING
                                    && !d.streams()
                                            .metadataForLocalThreads()
                                            .iterator()
                                            .next()
                                            .activeTasks()
                                            .isEmpty()));
            List<String> ownedByA = new ArrayList<>();
            for (String host : hosts) {
                HostInfo owner = a.streams()
                        .queryMetadataForKey(
                                DetectorTopology.HOSTS_STORE,
                                host,
                                Serdes.String().serializer())
                        .activeHost();
                if (owner.port() == a.httpPort()) {
                    ownedByA.add(host);
                }
            }
            assertThat(ownedByA).isNotEmpty().hasSizeLessThan(hosts.size());

            // then: every host, from either instance
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (DetectorRuntime instance : both) {
                    for (String host : hosts) {
                        HttpResponse<String> response = get(instance, "/hosts/" + host);
                        assertThat(response.statusCode()).as(host).isEqualTo(200);
                        JsonNode node = json.readTree(response.body());
                        assertThat(node.get("host").asText()).isEqualTo(host);
                        assertThat(node.get("state").asText()).isEqualTo("RUNNING");
                    }
                }
            });
            for (DetectorRuntime instance : both) {
                JsonNode all = json.readTree(get(instance, "/hosts").body());
                List<String> listed = new ArrayList<>();
                all.forEach(node -> listed.add(node.get("host").asText()));
                assertThat(listed).containsExactlyElementsOf(hosts);
                assertThat(json.readTree(get(instance, "/hosts?state=RUNNING").body()))
                        .hasSize(8);
                assertThat(json.readTree(get(instance, "/hosts?state=DEAD").body()))
                        .isEmpty();
            }
            assertThat(get(a, "/hosts/no-such-host").statusCode()).isEqualTo(404);
            assertThat(get(a, "/hosts?state=BOGUS").statusCode()).isEqualTo(400);
            assertThat(get(a, "/health").statusCode()).isEqualTo(200);
            String metrics = get(a, "/metrics").body() + get(b, "/metrics").body();
            assertThat(metrics)
                    .contains(
                            "hostwatch_detector_hosts{state=\"RUNNING\"}",
                            "hostwatch_detector_probe_requests_total",
                            "hostwatch_detector_punctuation_lag_seconds");
            assertThat(a.metrics().hosts(io.hostwatch.schema.HostStatus.RUNNING)
                            + b.metrics().hosts(io.hostwatch.schema.HostStatus.RUNNING))
                    .isEqualTo(8);
        }
    }
}
