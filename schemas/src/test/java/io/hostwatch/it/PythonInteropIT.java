package io.hostwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.serde.Messages;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.testkit.ExternalTools;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Java produces, a stock client decodes: Debian's python3-confluent-kafka (1.7) with its own Avro deserializer
 * and registry client, knowing nothing of hostwatch but the registry URL. Runs with the first {@code python3} on the
 * PATH that imports them ({@link ExternalTools#requirePythonModules}); CI installs the packages and sets
 * {@code HOSTWATCH_REQUIRE_EXTERNAL_TOOLS=1}, so there a missing package fails instead of skipping.
 */
@ExtendWith(LocalClusterExtension.class)
class PythonInteropIT {
    private static final Path SCRIPT = Path.of("src/test/python/decode_topic.py");

    @Test
    void shouldBeReadableByTheStockConfluentPythonDeserializer(TestCluster cluster) throws Exception {
        // what decode_topic.py imports; confluent_kafka.avro needs python3-avro and python3-requests
        Path python = ExternalTools.system().requirePythonModules("confluent_kafka.avro", "avro", "requests");
        // given
        TopicLayout layout = new TopicLayout(cluster.newTopicPrefix(), 3);
        new TopicBootstrapper(cluster.admin(), (short) -1, Duration.ofSeconds(30)).ensure(layout.specs());
        Topics topics = Topics.create(layout, SchemaRegistryClients.forUrl(cluster.registryUrl()));
        Heartbeat heartbeat = Messages.heartbeat("compute-3", 17);
        HostState state = Messages.hostState("compute-3");
        try (KafkaProducer<String, Heartbeat> hb = Clients.producer(
                        cluster.bootstrapServers(),
                        topics.heartbeats().keySerde().serializer(),
                        topics.heartbeats().valueSerde().serializer());
                KafkaProducer<String, HostState> hs = Clients.producer(
                        cluster.bootstrapServers(),
                        topics.hostStates().keySerde().serializer(),
                        topics.hostStates().valueSerde().serializer())) {
            hb.send(new ProducerRecord<>(layout.heartbeats(), "compute-3", heartbeat))
                    .get(30, TimeUnit.SECONDS);
            hs.send(new ProducerRecord<>(layout.hostStates(), "compute-3", state))
                    .get(30, TimeUnit.SECONDS);
        }

        // when
        JsonNode decodedHeartbeat =
                decodeWithPython(python, cluster, layout.heartbeats()).get(0);
        JsonNode decodedState =
                decodeWithPython(python, cluster, layout.hostStates()).get(0);

        // then
        assertThat(decodedHeartbeat.path("key").asText()).isEqualTo("compute-3");
        JsonNode v = decodedHeartbeat.path("value");
        assertThat(v.path("host").asText()).isEqualTo(heartbeat.getHost());
        assertThat(v.path("sequence").asLong()).isEqualTo(heartbeat.getSequence());
        assertThat(v.path("sentAt").asLong()).isEqualTo(heartbeat.getSentAt().toEpochMilli());
        assertThat(v.path("serviceStatus").asText())
                .isEqualTo(heartbeat.getServiceStatus().name());
        assertThat(v.path("failureDomain").asText()).isEqualTo(heartbeat.getFailureDomain());
        assertThat(v.path("storageSequence").asLong()).isEqualTo(heartbeat.getStorageSequence());
        JsonNode s = decodedState.path("value");
        assertThat(s.path("state").asText()).isEqualTo(state.getState().name());
        assertThat(s.path("reason").asText()).isEqualTo(state.getReason().name());
        assertThat(s.path("conditions").get(0).asText()).isEqualTo("SELF_ISOLATION_CONFIRMED");
        assertThat(s.path("previousState").asText()).isEqualTo("RUNNING");
        assertThat(s.path("evidence").path("ping").path("status").asText()).isEqualTo("FAILED");
        assertThat(s.path("evidence").path("storage").path("sequence").asLong()).isEqualTo(44);
        assertThat(s.path("evidence").path("probers")).hasSize(2);
    }

    private static List<JsonNode> decodeWithPython(Path python, TestCluster cluster, String topic) throws Exception {
        Path out = Files.createTempFile("python-decode", ".jsonl");
        try {
            Process process = new ProcessBuilder(
                            python.toString(),
                            SCRIPT.toString(),
                            "--bootstrap",
                            cluster.bootstrapServers(),
                            "--registry",
                            cluster.registryUrl(),
                            "--topic",
                            topic,
                            "--count",
                            "1",
                            "--timeout",
                            "60")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            boolean finished = process.waitFor(90, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(finished)
                    .as("python decoder finished; output:\n%s", output)
                    .isTrue();
            assertThat(process.exitValue())
                    .as("python decoder exit code; output:\n%s", output)
                    .isZero();
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> records = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.startsWith("{")) {
                    records.add(json.readTree(line));
                }
            }
            return records;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
