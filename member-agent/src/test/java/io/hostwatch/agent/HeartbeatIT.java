package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.agent.HeartbeatTap.Received;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalClusterExtension.class)
class HeartbeatIT {

    @Test
    void shouldDeliverHeartbeatsWithConsecutiveSequencesAndAdvancingStorage(TestCluster cluster, @TempDir Path storage)
            throws Exception {
        // given
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("host.id", "compute-1");
        values.put("failure.domain", "az-1");
        values.put("storage.root", storage.toString());
        MemberAgentConfig config = new MemberAgentConfig(values);
        HostIdentity identity = LocalIdentity.resolve(config);

        try (HeartbeatTap tap = AgentFixture.tap(cluster, topic)) {
            // when
            try (MemberAgent agent = MemberAgent.start(config, List.of(identity))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> tap.of("compute-1").size() >= 15);
            }

            // then
            List<Received> received = tap.of("compute-1");
            assertThat(received)
                    .extracting(r -> r.heartbeat().getSequence())
                    .startsWith(0L, 1L, 2L)
                    .isSorted()
                    .doesNotHaveDuplicates();
            assertThat(received).allSatisfy(r -> {
                assertThat(r.heartbeat().getAgentInstance()).isEqualTo(identity.agentInstance());
                assertThat(r.heartbeat().getAddress()).isEqualTo("127.0.0.1");
                assertThat(r.heartbeat().getFailureDomain()).isEqualTo("az-1");
                assertThat(r.heartbeat().getServiceStatus()).isEqualTo(ServiceStatus.OK);
                assertThat(r.heartbeat().getIntervalMs()).isEqualTo(200);
                assertThat(r.heartbeat().getAgentVersion()).isNotBlank();
                assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            });
            List<Long> sequences =
                    received.stream().map(r -> r.heartbeat().getSequence()).toList();
            assertThat(sequences.get(sequences.size() - 1)).isEqualTo(sequences.size() - 1L);
            List<Long> storageSequences = received.stream()
                    .map(r -> r.heartbeat().getStorageSequence())
                    .toList();
            assertThat(storageSequences).isSorted();
            assertThat(storageSequences.get(storageSequences.size() - 1)).isGreaterThanOrEqualTo(10);
            assertThat(received.subList(1, received.size()))
                    .allMatch(r -> r.heartbeat().getStorageWriteOk());
            StorageHeartbeat file =
                    StorageHeartbeat.parse(Files.readAllBytes(StorageHeartbeat.file(storage, "compute-1")));
            assertThat(file.agentInstance()).isEqualTo(identity.agentInstance());
            assertThat(file.storageSequence())
                    .isGreaterThanOrEqualTo(storageSequences.get(storageSequences.size() - 1));
            assertThat(file.isolated()).isFalse();
        }
    }

    @Test
    void shouldStartNewInstanceWithFreshSequenceButContinuedStorageSequenceAfterRestart(
            TestCluster cluster, @TempDir Path storage) throws Exception {
        // given
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("host.id", "compute-2");
        values.put("storage.root", storage.toString());
        MemberAgentConfig config = new MemberAgentConfig(values);

        try (HeartbeatTap tap = AgentFixture.tap(cluster, topic)) {
            HostIdentity first = LocalIdentity.resolve(config);
            try (MemberAgent agent = MemberAgent.start(config, List.of(first))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> tap.of("compute-2").size() >= 5);
            }
            long lastStorageSequence = StorageHeartbeat.parse(
                            Files.readAllBytes(StorageHeartbeat.file(storage, "compute-2")))
                    .storageSequence();

            // when
            HostIdentity second = LocalIdentity.resolve(config);
            try (MemberAgent agent = MemberAgent.start(config, List.of(second))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> tap.matching(r ->
                                                r.heartbeat().getAgentInstance().equals(second.agentInstance()))
                                        .size()
                                >= 5);
            }

            // then
            List<Received> afterRestart =
                    tap.matching(r -> r.heartbeat().getAgentInstance().equals(second.agentInstance()));
            assertThat(second.agentInstance()).isNotEqualTo(first.agentInstance());
            assertThat(afterRestart.get(0).heartbeat().getSequence()).isZero();
            assertThat(afterRestart.get(afterRestart.size() - 1).heartbeat().getStorageSequence())
                    .isGreaterThan(lastStorageSequence);
        }
    }

    @Test
    void shouldRunManySimulatedHostsOnOneProducerAndServeOpsEndpoint(TestCluster cluster, @TempDir Path storage)
            throws Exception {
        // given
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("storage.root", storage.toString());
        values.put("storage.fsync", "false");
        values.put("ops.port", "0");
        MemberAgentConfig config = new MemberAgentConfig(values);
        List<HostIdentity> hosts = SimulatedHosts.create("sim-", 1, 300, Optional.empty(), 3);

        try (HeartbeatTap tap = AgentFixture.tap(cluster, topic);
                MemberAgent agent = MemberAgent.start(config, hosts)) {
            // when
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            tap.all().stream().map(Received::host).distinct().count() == 300);

            // then
            Map<String, String> addressByHost = tap.all().stream()
                    .collect(Collectors.toMap(Received::host, r -> r.heartbeat().getAddress(), (a, b) -> a));
            assertThat(addressByHost.values()).doesNotHaveDuplicates().allMatch(a -> a.startsWith("127."));
            assertThat(tap.all())
                    .extracting(r -> r.heartbeat().getFailureDomain())
                    .containsOnly("az-1", "az-2", "az-3");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (var files = Files.list(storage.resolve("hostwatch"))) {
                    assertThat(files.filter(f -> f.toString().endsWith(".hb")).count())
                            .isEqualTo(300);
                }
            });
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + agent.opsPort().orElseThrow();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("hosts=300");
            assertThat(metrics.body())
                    .contains("hostwatch_agent_heartbeats_delivered_total")
                    .contains("hostwatch_agent_hosts{phase=\"running\"} 300");
        }
    }
}
