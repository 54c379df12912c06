package io.hostwatch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the very launcher the quick start uses: real broker and registry processes. */
class LocalClusterIT {

    @Test
    void shouldServeTopicsAndSchemasAndStopItsProcesses(@TempDir Path workDir) throws Exception {
        // given
        long brokerPid;
        try (LocalCluster cluster = LocalCluster.start(workDir)) {
            brokerPid = cluster.broker().pid();
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                // when
                admin.createTopics(List.of(new NewTopic("probe", 3, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);

                // then: metadata reaches the broker's cache a moment after createTopics returns (sooner or later
                // under load), so the partitions are awaited, not read once
                await("3 partitions with a leader")
                        .atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(admin.describeTopics(List.of("probe"))
                                        .allTopicNames()
                                        .get(30, TimeUnit.SECONDS)
                                        .get("probe")
                                        .partitions())
                                .hasSize(3)
                                .allSatisfy(p -> assertThat(p.leader()).isNotNull()));
            }
            HttpResponse<String> subjects = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(cluster.registryUrl() + "/subjects"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(subjects.statusCode()).isEqualTo(200);
            assertThat(subjects.body()).isEqualTo("[]");
        }
        assertThat(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(Files.readString(workDir.resolve("kafka/broker.log"))).contains("Kafka Server started");
    }

    @Test
    void shouldRestartOnTheSameDataWithoutReformatting(@TempDir Path workDir) throws Exception {
        // given
        KafkaBroker.Settings settings = KafkaBroker.Settings.defaults(workDir);
        try (KafkaBroker broker = KafkaBroker.start(settings)) {
            createTopic(broker, "kept");
        }

        // when
        try (KafkaBroker restarted = KafkaBroker.start(settings)) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers());
            try (Admin admin = Admin.create(props)) {
                // then
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
            }
        }
    }

    private static void createTopic(KafkaBroker broker, String name) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
