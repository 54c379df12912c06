package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.local.FreePorts;
import io.hostwatch.local.ManagedProcess;
import io.hostwatch.local.OrphanGuard;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly-once and restart safety on the real broker: the detector process is SIGKILLed while hosts keep
 * heartbeating, restarted on its state, and joined by a second instance (rebalance). No host may change state, no
 * host may be probed, no host may look new (which would mean lost state), and detection still works afterwards.
 * The restarted process must be alive and own tasks throughout: otherwise the in-JVM instance could hold every task
 * and the checks would say nothing about the restart.
 */
@ExtendWith(LocalClusterExtension.class)
class DetectorRestartIT {
    private static final Path JAR =
            Path.of("target", "hostwatch-detector-stream-0.1.0-SNAPSHOT.jar").toAbsolutePath();

    private static ManagedProcess startProcess(Path configFile, Path work, String name) throws Exception {
        String guard = Path.of(OrphanGuard.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                JAR + File.pathSeparator + guard,
                OrphanGuard.class.getName(),
                DetectorApp.class.getName(),
                "run",
                "--config",
                configFile.toString());
        return ManagedProcess.start(name, command, work, work.resolve(name + ".log"), Map.of());
    }

    private static Path writeConfig(Map<String, String> values, Path work) throws IOException {
        Files.createDirectories(work);
        Path file = work.resolve("detector.properties");
        Properties props = new Properties();
        props.putAll(values);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "DetectorRestartIT");
        }
        return file;
    }

    @Test
    void shouldNeitherLoseStateNorDeclareAnyHostDeadWhenKilledRestartedAndRebalanced(TestCluster cluster)
            throws Exception {
        Path work = Path.of("target", "it-work", UUID.randomUUID().toString()).toAbsolutePath();
        List<ManagedProcess> processes = new ArrayList<>();
        try (LiveHarness harness = new LiveHarness(cluster, 4)) {
            try {
                runScenario(harness, work, processes);
            } finally {
                // before the harness deletes the state directories the processes write to
                for (ManagedProcess process : processes) {
                    process.close();
                }
            }
        } finally {
            TestFiles.deleteRecursively(work);
        }
    }

    private static void runScenario(LiveHarness harness, Path work, List<ManagedProcess> processes) throws Exception {
        // given: eight hosts, one detector process
        List<String> hosts = IntStream.range(0, 8).mapToObj(i -> "compute-" + i).toList();
        hosts.forEach(h -> harness.startHeartbeats(h, null));
        Path config = writeConfig(harness.configValues(Map.of("instance.id", "proc-a")), work);
        processes.add(startProcess(config, work, "detector-a"));
        LiveHarness.Reader<HostState> history = harness.history();
        LiveHarness.Reader<ProbeRequest> requests = harness.probeRequests();
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(history.values())
                        .extracting(HostState::getHost)
                        .containsExactlyInAnyOrderElementsOf(hosts));

        // when: SIGKILL, hosts keep heartbeating for several heartbeat timeouts, then restart on the same state
        processes.get(0).kill();
        await().pollDelay(Duration.ofSeconds(8))
                .atMost(Duration.ofSeconds(10))
                .until(() -> !processes.get(0).isAlive());
        processes.add(startProcess(config, work, "detector-a-restarted"));
        // and a second instance joins, so tasks move and are restored from the changelogs
        DetectorRuntime second = harness.startDetector(harness.config(Map.of("instance.id", "in-jvm-b")));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> second.streams().state() == KafkaStreams.State.RUNNING
                        && !second.streams()
                                .metadataForLocalThreads()
                                .iterator()
                                .next()
                                .activeTasks()
                                .isEmpty());
        // and the restarted process is alive and owns tasks, hosts among them: else the in-JVM instance could hold
        // every task and nothing here would say anything about the restart
        HostInfo inJvm = new HostInfo("127.0.0.1", second.httpPort());
        HostInfo restarted = await("restarted process owns tasks")
                .atMost(Duration.ofSeconds(90))
                .until(() -> otherClientWithTasks(second, inJvm), Optional::isPresent)
                .orElseThrow();
        assertThat(processes.get(1).isAlive())
                .as("restarted detector process alive")
                .isTrue();
        assertThat(hostsOwnedBy(second, restarted, hosts))
                .as("hosts owned by the restarted process")
                .isNotEmpty();
        assertThat(healthStatus(restarted)).as("restarted process's /health").isEqualTo(200);
        // one more host dies, to prove detection works after all that
        harness.stopHeartbeats("compute-3");
        ProbeRequest request = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> requests.values().stream()
                                .filter(r -> r.getHost().equals("compute-3"))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);
        harness.answer(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
        harness.answer(request, "prober-b", PingStatus.FAILED, StorageStatus.STALE);

        // then
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(history.values())
                        .filteredOn(s -> s.getHost().equals("compute-3"))
                        .extracting(HostState::getState)
                        .containsExactly(HostStatus.RUNNING, HostStatus.DEAD));
        List<HostState> others = history.values().stream()
                .filter(s -> !s.getHost().equals("compute-3"))
                .toList();
        assertThat(others).hasSize(7);
        assertThat(others).extracting(HostState::getReason).containsOnly(StateReason.HEARTBEATING);
        assertThat(requests.values()).extracting(ProbeRequest::getHost).containsOnly("compute-3");
        assertThat(processes.get(1).isAlive())
                .as("restarted detector process still alive")
                .isTrue();
        assertThat(otherClientWithTasks(second, inJvm))
                .as("restarted process still owns tasks")
                .contains(restarted);
    }

    @Test
    void shouldRestoreFromTheChangelogsWithoutAFalseVerdictWhenTheStateDirectoryIsLost(TestCluster cluster)
            throws Exception {
        Path work = Path.of("target", "it-work", UUID.randomUUID().toString()).toAbsolutePath();
        List<ManagedProcess> processes = new ArrayList<>();
        try (LiveHarness harness = new LiveHarness(cluster, 4)) {
            try {
                runStateLossScenario(harness, work, processes);
            } finally {
                for (ManagedProcess process : processes) {
                    process.close();
                }
            }
        } finally {
            TestFiles.deleteRecursively(work);
        }
    }

    /**
     * A detector machine's disk is replaced: the process dies (SIGKILL) and comes back with an empty state
     * directory, so every task is rebuilt from its changelog topics. That must look like a plain restart: no host
     * re-announced as new, none probed, none leaving RUNNING, and detection working on the restored state.
     */
    private static void runStateLossScenario(LiveHarness harness, Path work, List<ManagedProcess> processes)
            throws Exception {
        // given: six hosts, one detector process, every host known
        List<String> hosts = IntStream.range(0, 6).mapToObj(i -> "compute-" + i).toList();
        hosts.forEach(h -> harness.startHeartbeats(h, null));
        Map<String, String> values =
                harness.configValues(Map.of("instance.id", "proc-s", "ops.port", Integer.toString(FreePorts.next())));
        Path stateDir = Path.of(values.get("state.dir"));
        Path config = writeConfig(values, work);
        processes.add(startProcess(config, work, "detector-s"));
        LiveHarness.Reader<HostState> history = harness.history();
        LiveHarness.Reader<ProbeRequest> requests = harness.probeRequests();
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(history.values())
                        .extracting(HostState::getHost)
                        .containsExactlyInAnyOrderElementsOf(hosts));
        assertThat(stateDir).as("the detector wrote its state directory").isNotEmptyDirectory();

        // when: SIGKILL, the state directory is lost, the process restarts on the same config
        processes.get(0).kill();
        TestFiles.deleteRecursively(stateDir);
        assertThat(stateDir).doesNotExist();
        processes.add(startProcess(config, work, "detector-s-restored"));
        HostInfo restored = new HostInfo("127.0.0.1", Integer.parseInt(values.get("ops.port")));
        await("restored process queryable")
                .atMost(Duration.ofSeconds(120))
                .ignoreExceptions()
                .until(() -> hostsStatus(restored) == 200);
        // one host dies, to prove detection works on the restored state
        harness.stopHeartbeats("compute-2");
        ProbeRequest request = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> requests.values().stream()
                                .filter(r -> r.getHost().equals("compute-2"))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);
        harness.answer(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
        harness.answer(request, "prober-b", PingStatus.FAILED, StorageStatus.STALE);

        // then
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(history.values())
                        .filteredOn(s -> s.getHost().equals("compute-2"))
                        .extracting(HostState::getState)
                        .containsExactly(HostStatus.RUNNING, HostStatus.DEAD));
        assertThat(history.values())
                .filteredOn(s -> !s.getHost().equals("compute-2"))
                .as("every other host published once (RUNNING/HEARTBEATING), never again as if new")
                .hasSize(5)
                .extracting(HostState::getReason)
                .containsOnly(StateReason.HEARTBEATING);
        assertThat(requests.values()).extracting(ProbeRequest::getHost).containsOnly("compute-2");
        assertThat(stateDir).as("the state rebuilt on disk").isNotEmptyDirectory();
    }

    private static int hostsStatus(HostInfo instance) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://" + instance.host() + ":" + instance.port() + "/hosts"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** The one Streams client other than {@code self} that holds active partitions, as {@code self} sees the group. */
    private static Optional<HostInfo> otherClientWithTasks(DetectorRuntime self, HostInfo selfInfo) {
        if (self.streams().state() != KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        return self.streams().metadataForAllStreamsClients().stream()
                .filter(m ->
                        !m.hostInfo().equals(selfInfo) && !m.topicPartitions().isEmpty())
                .map(StreamsMetadata::hostInfo)
                .findFirst();
    }

    private static List<String> hostsOwnedBy(DetectorRuntime self, HostInfo owner, List<String> hosts) {
        return hosts.stream()
                .filter(h -> owner.equals(self.streams()
                        .queryMetadataForKey(
                                DetectorTopology.HOSTS_STORE, h, Serdes.String().serializer())
                        .activeHost()))
                .toList();
    }

    private static int healthStatus(HostInfo instance) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://" + instance.host() + ":" + instance.port() + "/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
