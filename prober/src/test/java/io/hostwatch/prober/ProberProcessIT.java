package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.local.FreePorts;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as an operator (or the end-to-end harness) runs it: a child process, config file, SIGTERM. */
@ExtendWith(LocalClusterExtension.class)
@Timeout(120)
class ProberProcessIT {
    private static final Path JAR =
            Path.of("target", "hostwatch-prober-0.1.0-SNAPSHOT.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldLogReadinessServeHealthAnswerAndExitZeroOnSigterm(TestCluster cluster) throws Exception {
        // given
        TopicLayout layout = new TopicLayout(cluster.newTopicPrefix(), 2);
        Path storage = Files.createDirectories(dir.resolve("storage").resolve(StorageHeartbeat.DIRECTORY))
                .getParent();
        Files.write(StorageHeartbeat.file(storage, "h1"), new StorageHeartbeat("h1", "a", 10, 1L, false).toBytes());
        int opsPort = FreePorts.next();
        Path config = dir.resolve("prober.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "kafka.bootstrap.servers=" + cluster.bootstrapServers(),
                        "topic.prefix=" + layout.prefix(),
                        "topic.partitions=2",
                        "storage.root=" + storage,
                        "probe.ping.method=tcp:1",
                        "ops.bind.address=127.0.0.1",
                        "ops.port=" + opsPort,
                        ""));
        Path log = dir.resolve("prober.log");

        // when: the registry URL comes from the environment, as a systemd EnvironmentFile would give it
        Process prober = start(
                log,
                List.of("--config", config.toString()),
                "HOSTWATCH_PROBER_ID",
                "p-proc",
                "HOSTWATCH_SCHEMA_REGISTRY_URL",
                cluster.registryUrl());

        // then
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Prober p-proc ready:"));
        HttpResponse<String> health = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("UP prober=p-proc");
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("hostwatch_prober_selfcheck_ok");

        try (ProbeTraffic traffic = new ProbeTraffic(cluster, layout)) {
            ProbeRequest request = traffic.send(ProbeTraffic.request("h1", "127.0.0.1", 7));
            ProbeResult result = traffic.awaitResults(List.of(request), 1, Duration.ofSeconds(30))
                    .get(request.getRequestId())
                    .get(0);
            assertThat(result.getProber()).isEqualTo("p-proc");
            assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.OK);
            assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.FRESH);
        }

        // when
        prober.destroy(); // SIGTERM

        // then
        assertThat(prober.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(prober.exitValue()).isZero();
        assertThat(Files.readString(log))
                .contains("Probe loop stopped; offsets committed")
                .contains("Prober p-proc stopped");
    }

    @Test
    void shouldExitTwoWithAClearMessageWhenConfigIsInvalid() throws Exception {
        // given
        Path config = dir.resolve("bad.properties");
        Files.writeString(
                config,
                "kafka.bootstrap.servers=127.0.0.1:1\nschema.registry.url=http://127.0.0.1:1\n"
                        + "storage.root=/srv\nprobe.ping.method=udp:53\n");
        Path log = dir.resolve("bad.log");

        // when
        Process prober = start(log, List.of("--config", config.toString()));

        // then
        assertThat(prober.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(prober.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log, StandardCharsets.UTF_8))
                .contains("hostwatch-prober: invalid configuration")
                .contains("probe.ping.method");
    }

    private Process start(Path log, List<String> args, String... env) throws Exception {
        assertThat(JAR).as("packaged jar (mvn package)").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-jar",
                JAR.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        for (int i = 0; i + 1 < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process process = builder.start();
        processes.add(process);
        return process;
    }
}
