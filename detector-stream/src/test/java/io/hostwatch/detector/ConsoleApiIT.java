package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every endpoint the console page uses, against two live detector instances on the real broker: each answers for
 * the whole detector (shape, filters, paging limits, 404/400, evidence and timeline, guard, change feed, assets).
 */
@ExtendWith(LocalClusterExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleApiIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(DetectorRuntime instance, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(DetectorRuntime instance, String path) throws Exception {
        HttpResponse<String> response = get(instance, path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return json.readTree(response.body());
    }

    @Test
    void shouldServeTheWholeDetectorFromEitherInstance(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 4)) {
            // given: seven hosts in two domains, two instances sharing them
            List<String> hosts =
                    IntStream.range(0, 7).mapToObj(i -> "compute-" + i).toList();
            hosts.forEach(h -> harness.startHeartbeats(h, h.equals("compute-6") ? "az-2" : "az-1"));
            DetectorRuntime a = harness.startDetector(harness.config(Map.of()));
            DetectorRuntime b = harness.startDetector(harness.config(Map.of()));
            List<DetectorRuntime> both = List.of(a, b);
            LiveHarness.Reader<ProbeRequest> requests = harness.probeRequests();
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> both.stream()
                            .allMatch(d -> d.streams().state() == KafkaStreams.State.RUNNING
                                    && d.streams().metadataForLocalThreads().stream()
                                            .anyMatch(t -> !t.activeTasks().isEmpty())));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (DetectorRuntime instance : both) {
                    assertThat(getJson(instance, "/api/summary")
                                    .at("/counts/RUNNING")
                                    .asInt())
                            .isEqualTo(7);
                }
            });
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            InputStream feed = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort() + "/api/events"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream())
                    .body();
            Thread reader = new Thread(() -> readLines(feed, events), "sse-reader");
            reader.setDaemon(true);
            reader.start();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("retry: 1000");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("event: change");
            events.clear();

            // when: compute-3 dies, both probers seeing ping FAILED and storage STALE
            harness.stopHeartbeats("compute-3");
            ProbeRequest request = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> requests.values().stream()
                                    .filter(r -> r.getHost().equals("compute-3"))
                                    .findFirst(),
                            java.util.Optional::isPresent)
                    .get();
            harness.answer(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
            harness.answer(request, "prober-b", PingStatus.FAILED, StorageStatus.STALE);

            // then: the change feed says so, and every endpoint shows it from either instance
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> getJson(a, "/api/summary").at("/counts/DEAD").asInt() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("event: change"));
            for (DetectorRuntime instance : both) {
                JsonNode summary = getJson(instance, "/api/summary");
                assertThat(summary.get("total").asInt()).isEqualTo(7);
                assertThat(summary.at("/counts/RUNNING").asInt()).isEqualTo(6);
                assertThat(summary.get("instances")).hasSize(2);
                assertThat(summary.get("healthy").asBoolean()).isTrue();
                assertThat(summary.get("serverTime").asLong()).isPositive();

                JsonNode page = getJson(instance, "/api/hosts");
                assertThat(page.get("matched").asInt()).isEqualTo(7);
                assertThat(page.get("limit").asInt()).isEqualTo(50);
                assertThat(hostsOf(page))
                        .containsExactly(
                                "compute-3",
                                "compute-0",
                                "compute-1",
                                "compute-2",
                                "compute-4",
                                "compute-5",
                                "compute-6");
                JsonNode first = page.get("rows").get(0);
                assertThat(first.get("state").asText()).isEqualTo("DEAD");
                assertThat(first.get("reason").asText()).isEqualTo("HARDWARE_FAILURE_OR_SHUTDOWN");
                assertThat(first.get("domain").asText()).isEqualTo("az-1");
                assertThat(first.get("conditions").isArray()).isTrue();
                assertThat(first.get("since").asLong())
                        .isGreaterThan(first.get("lastHeartbeatAt").asLong());

                assertThat(hostsOf(getJson(instance, "/api/hosts?state=dead"))).containsExactly("compute-3");
                assertThat(hostsOf(getJson(instance, "/api/hosts?state=DEGRADED")))
                        .isEmpty();
                assertThat(hostsOf(getJson(instance, "/api/hosts?domain=az-2"))).containsExactly("compute-6");
                assertThat(hostsOf(getJson(instance, "/api/hosts?q=PUTE-5"))).containsExactly("compute-5");
                JsonNode paged = getJson(instance, "/api/hosts?state=RUNNING&offset=2&limit=3");
                assertThat(paged.get("matched").asInt()).isEqualTo(6);
                assertThat(hostsOf(paged)).containsExactly("compute-2", "compute-4", "compute-5");
                assertThat(hostsOf(getJson(instance, "/api/hosts?offset=7"))).isEmpty();

                JsonNode detail = getJson(instance, "/api/hosts/compute-3");
                assertThat(detail.at("/row/state").asText()).isEqualTo("DEAD");
                assertThat(detail.get("phase").asText()).isEqualTo("SETTLED");
                assertThat(detail.get("ping").asText()).isEqualTo("FAILED");
                assertThat(detail.get("storage").asText()).isEqualTo("STALE");
                List<String> probers = new ArrayList<>();
                for (JsonNode p : detail.get("probers")) {
                    probers.add(p.get("prober").asText());
                    assertThat(p.get("ping").asText()).isEqualTo("FAILED");
                    assertThat(p.get("storage").asText()).isEqualTo("STALE");
                    assertThat(p.get("receivedAt").asLong()).isPositive();
                }
                assertThat(probers).containsExactlyInAnyOrder("prober-a", "prober-b");
                JsonNode timeline = detail.get("timeline");
                assertThat(timeline).hasSize(2);
                assertThat(timeline.get(0).get("state").asText()).isEqualTo("DEAD");
                assertThat(timeline.get(0).get("previousState").asText()).isEqualTo("RUNNING");
                assertThat(timeline.get(1).get("reason").asText()).isEqualTo("HEARTBEATING");

                JsonNode domains = getJson(instance, "/api/domains");
                assertThat(domains).hasSize(2);
                assertThat(domains.get(0).get("domain").asText()).isEqualTo("az-1");
                assertThat(domains.get(0).get("hosts").asInt()).isEqualTo(6);
                assertThat(domains.get(0).get("notRunning").asInt()).isEqualTo(1);
                assertThat(domains.get(0).get("holding").asBoolean()).isFalse();
                assertThat(domains.get(0).has("known")).isTrue();
                assertThat(domains.get(1).get("domain").asText()).isEqualTo("az-2");
            }
            assertThat(get(a, "/api/hosts/no-such-host").statusCode()).isEqualTo(404);
            assertThat(json.readTree(get(b, "/api/hosts/no-such-host").body())
                            .get("error")
                            .asText())
                    .contains("no-such-host");
            for (String bad :
                    List.of("state=BOGUS", "limit=501", "limit=-1", "offset=-1", "offset=20001", "limit=abc")) {
                assertThat(get(a, "/api/hosts?" + bad).statusCode()).as(bad).isEqualTo(400);
            }
            assertThat(get(a, "/api/hosts?limit=500").statusCode()).isEqualTo(200);
            assertThat(get(a, "/api/nothing").statusCode()).isEqualTo(404);

            // and: the page itself, from the jar
            HttpResponse<String> index = get(a, "/console/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\">");
            assertThat(get(a, "/console/app.js").headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
            assertThat(get(a, "/console/..%2Flog4j2.xml").statusCode()).isEqualTo(404);
            assertThat(get(a, "/console/nope.js").statusCode()).isEqualTo(404);
            assertThat(get(a, "/").statusCode()).isEqualTo(302);
        }
    }

    private static List<String> hostsOf(JsonNode page) {
        List<String> hosts = new ArrayList<>();
        page.get("rows").forEach(row -> hosts.add(row.get("host").asText()));
        return hosts;
    }

    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
        } catch (java.io.IOException e) {
            // the test ended and closed the stream
        }
    }
}
