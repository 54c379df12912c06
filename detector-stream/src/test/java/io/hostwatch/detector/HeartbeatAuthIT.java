package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.auth.Authenticators;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authenticated heartbeats against a real broker and a running detector (heartbeat.authentication=required): forged
 * and replayed heartbeats are dead-lettered with their reason and counted, and change no host's state; a key
 * rotation passes without a false verdict.
 */
@ExtendWith(LocalClusterExtension.class)
@Timeout(240)
class HeartbeatAuthIT {
    private static List<HostState> of(List<HostState> states, String host) {
        return states.stream().filter(s -> s.getHost().equals(host)).toList();
    }

    private static String reason(ConsumerRecord<String, byte[]> letter) {
        return new String(letter.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldRejectForgedAndReplayedHeartbeatsWithoutChangingState(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 2)) {
            // given two running hosts
            String victim = harness.hostOnPartition("victim", 0);
            String attacker = harness.hostOnPartition("attacker", 1);
            harness.startHeartbeats(victim, null);
            harness.startHeartbeats(attacker, null);
            DetectorRuntime detector = harness.startDetector(harness.config(Map.of()));
            LiveHarness.Reader<HostState> history = harness.history();
            LiveHarness.Reader<byte[]> deadLetters =
                    harness.rawReader(harness.topics.deadLetters().name());
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(history.values())
                            .extracting(HostState::getHost)
                            .contains(victim, attacker));
            // the victim's last heartbeats are sent here, so none of the pump's can overtake them
            harness.stopHeartbeats(victim);
            await().pollDelay(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> true);
            LiveHarness.Reader<ProbeRequest> requests = harness.probeRequests();
            Heartbeat captured = harness.heartbeatOf(victim);
            harness.send(victim, captured);

            // when the attacker, with its own key, says the victim's service is down, and replays a captured one
            Heartbeat forged = harness.unsignedHeartbeatOf(victim);
            forged.setServiceStatus(ServiceStatus.DOWN);
            forged.setAddress("198.18.9.9");
            Authenticators.authenticate(harness.masterKey.derive(attacker), forged);
            harness.send(victim, forged);
            harness.send(victim, captured);
            // and then the victim is silent: the probers must be sent to its own address

            // then
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(deadLetters.records())
                            .extracting(HeartbeatAuthIT::reason)
                            .containsExactly("bad-authenticator", "replayed"));
            ProbeRequest request = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> requests.values().stream()
                                    .filter(r -> r.getHost().equals(victim))
                                    .findFirst()
                                    .orElse(null),
                            r -> r != null);
            assertThat(request.getAddress()).isEqualTo("198.18.0.1");
            assertThat(of(history.values(), victim))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.RUNNING);
            assertThat(detector.metrics().heartbeatsRejected("bad-authenticator"))
                    .isEqualTo(1.0);
            assertThat(detector.metrics().heartbeatsRejected("replayed")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldRotateTheMasterKeyWithoutAFalseVerdict(TestCluster cluster) throws Exception {
        try (LiveHarness harness = new LiveHarness(cluster, 2)) {
            // given a detector that accepts k1 and the new k2
            MasterKey k2 = KeyFiles.generateMaster("k2");
            Path k2File = harness.masterKeyFile.resolveSibling(harness.prefix.replace('.', '-') + "k2.key");
            KeyFiles.write(k2File, k2);
            String host = harness.hostOnPartition("rotating", 0);
            harness.startHeartbeats(host, null);
            DetectorRuntime detector = harness.startDetector(
                    harness.config(Map.of("auth.master.key.files", harness.masterKeyFile + "," + k2File)));
            LiveHarness.Reader<HostState> history = harness.history();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(of(history.values(), host)).isNotEmpty());

            // when the host's agent moves to its k2 key, and heartbeats keep coming for a few timeouts
            harness.signWith(k2);
            await().pollDelay(Duration.ofSeconds(8))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> true);

            // then nothing was rejected and the host never left RUNNING
            assertThat(of(history.values(), host))
                    .extracting(HostState::getState)
                    .containsExactly(HostStatus.RUNNING);
            assertThat(detector.metrics().heartbeatsRejected("unknown-key-id")).isZero();
            assertThat(detector.metrics().heartbeatsRejected("bad-authenticator"))
                    .isZero();
        }
    }
}
