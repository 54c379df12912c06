package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.local.OrphanGuard;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent as the end-to-end harness and systemd run it: the packaged jar in its own JVM with a 64 MiB heap,
 * configured by file. Started through {@link OrphanGuard} so it dies with this JVM even on SIGKILL.
 */
@ExtendWith(LocalClusterExtension.class)
class AgentProcessIT {
    private static final Logger LOG = LoggerFactory.getLogger(AgentProcessIT.class);
    private static final Path JAR =
            Path.of("target", "hostwatch-member-agent-0.1.0-SNAPSHOT.jar").toAbsolutePath();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process launch(Path dir, Path config, String... args) throws IOException {
        Process process = start(dir, config, args);
        processes.add(process);
        return process;
    }

    /** The packaged agent in its own JVM (64 MiB heap), output to {@code dir/agent.log}; the caller stops it. */
    static Process start(Path dir, Path config, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                JAR + File.pathSeparator + codeSource(OrphanGuard.class),
                OrphanGuard.class.getName(),
                MemberAgentApp.class.getName(),
                "--config",
                config.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
        return process;
    }

    static Path writeConfig(Path dir, Map<String, String> values) throws IOException {
        Path file = dir.resolve("member-agent.properties");
        Files.writeString(
                file,
                values.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining("\n")) + "\n");
        return file;
    }

    static String log(Path dir) throws IOException {
        return Files.readString(dir.resolve("agent.log"), StandardCharsets.UTF_8);
    }

    @Test
    void shouldHeartbeatAsProcessAndStopGracefullyOnSigterm(TestCluster cluster, @TempDir Path dir) throws Exception {
        // given
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Path storage = Files.createDirectory(dir.resolve("storage"));
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("host.id", "proc-1");
        values.put("storage.root", storage.toString());

        try (HeartbeatTap tap = AgentFixture.tap(cluster, topic)) {
            // when
            Process agent = launch(dir, writeConfig(dir, values));

            // then: the readiness line, then heartbeats on the topic
            await().atMost(Duration.ofSeconds(60)).until(() -> log(dir).contains("event=kafka.delivering first=true"));
            await().atMost(Duration.ofSeconds(30)).until(() -> tap.of("proc-1").size() >= 10);
            assertThat(log(dir)).contains("event=agent.started").contains("host=proc-1");
            LOG.info("member-agent process RSS with -Xmx64m: {}", vmRss(agent.pid()));

            // when: SIGTERM
            agent.destroy();

            // then: stops within the shutdown timeout, says so, removes nothing
            assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).isIn(0, 143);
            assertThat(log(dir)).contains("event=agent.stopping").contains("event=agent.stopped");
            assertThat(StorageHeartbeat.file(storage, "proc-1")).exists();
        }
    }

    @Test
    void shouldRunSimulatedHostsAsOneProcess(TestCluster cluster, @TempDir Path dir) throws Exception {
        // given
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("storage.root", Files.createDirectory(dir.resolve("storage")).toString());
        values.put("storage.fsync", "false");

        try (HeartbeatTap tap = AgentFixture.tap(cluster, topic)) {
            // when
            Process agent = launch(dir, writeConfig(dir, values), "--simulate", "50", "--simulate-prefix", "vm-");

            // then
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> tap.all().stream()
                                    .map(HeartbeatTap.Received::host)
                                    .distinct()
                                    .count()
                            == 50);
            assertThat(tap.all()).allMatch(r -> r.host().matches("vm-000[0-5][0-9]"));
            agent.destroy();
            assertThat(agent.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shouldExitTwoWithMessageWhenConfigIsInvalid(TestCluster cluster, @TempDir Path dir) throws Exception {
        // given
        Map<String, String> values = AgentFixture.baseConfig(cluster, cluster.newTopicPrefix());
        values.put("service.check", "command");

        // when
        Process agent = launch(dir, writeConfig(dir, values));

        // then
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(2);
        assertThat(log(dir)).contains("invalid configuration").contains("service.check.command");
    }

    private static String vmRss(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmRSS"))
                .findFirst()
                .orElse("unknown")
                .replaceAll("\\s+", " ");
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
