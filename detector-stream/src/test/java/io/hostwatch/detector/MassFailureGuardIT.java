package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The guard across partitions: one failure domain's hosts on every partition, counted together. */
@ExtendWith(LocalClusterExtension.class)
class MassFailureGuardIT {
    @Test
    void shouldHoldVerdictsOfADomainWhoseSilentHostsAreSpreadOverAllPartitions(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 4)) {
            // given: az1 has ten hosts, the four that fail on four different partitions; az2 has three
            List<String> az1 =
                    IntStream.range(0, 6).mapToObj(i -> "az1-host-" + i).toList();
            Set<String> failing = IntStream.range(0, 4)
                    .mapToObj(p -> harness.hostOnPartition("az1-rack", p))
                    .collect(Collectors.toSet());
            az1.forEach(h -> harness.startHeartbeats(h, "az1"));
            failing.forEach(h -> harness.startHeartbeats(h, "az1"));
            List.of("az2-a", "az2-b", "az2-c").forEach(h -> harness.startHeartbeats(h, "az2"));
            DetectorRuntime detector = harness.startDetector(harness.config(Map.of()));
            LiveHarness.Reader<HostState> history = harness.history();
            LiveHarness.Reader<ProbeRequest> requests = harness.probeRequests();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(history.values()).hasSize(13));

            // when: the four az1 hosts and one az2 host fall silent together
            failing.forEach(harness::stopHeartbeats);
            harness.stopHeartbeats("az2-b");
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(guard(detector).get("az1")).isEqualTo(new DomainStatus(10, 4, true)));
            Map<String, ProbeRequest> byHost = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                requests.values().forEach(r -> byHost.putIfAbsent(r.getHost(), r));
                assertThat(byHost).hasSize(5);
            });
            byHost.values().forEach(r -> harness.answer(r, "prober-a", PingStatus.FAILED, StorageStatus.STALE));

            // then: az1's four are held, az2's single failure is DEAD
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, HostState> latest = new HashMap<>();
                history.values().forEach(s -> latest.put(s.getHost(), s));
                for (String host : failing) {
                    assertThat(latest.get(host).getState()).as(host).isEqualTo(HostStatus.UNKNOWN);
                    assertThat(latest.get(host).getReason()).as(host).isEqualTo(StateReason.MASS_FAILURE_SUSPECTED);
                }
                assertThat(latest.get("az2-b").getState()).isEqualTo(HostStatus.DEAD);
            });
            assertThat(history.values())
                    .extracting(HostState::getState)
                    .doesNotContain(HostStatus.ISOLATED)
                    .filteredOn(s -> s == HostStatus.DEAD)
                    .hasSize(1);
        }
    }

    private static ReadOnlyKeyValueStore<String, DomainStatus> guard(DetectorRuntime detector) {
        return detector.streams()
                .store(StoreQueryParameters.fromNameAndType(
                        DetectorTopology.DOMAIN_GUARD_STORE, QueryableStoreTypes.keyValueStore()));
    }
}
