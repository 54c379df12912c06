package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.ExternalTools;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.testkit.netns.TestHost;
import io.hostwatch.testkit.netns.TestNetwork;
import io.hostwatch.topics.TopicLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prober on the real broker and registry with real pings: loopback addresses (127.0.0.x) and test hosts in
 * network namespaces this test creates. No traffic goes anywhere else.
 */
@ExtendWith(LocalClusterExtension.class)
@Timeout(180)
class ProberIT {
    private static final int PARTITIONS = 3;
    private static final Duration RESULT_WAIT = Duration.ofSeconds(30);
    private static final ExternalTools TOOLS = ExternalTools.system();

    @TempDir
    Path storage;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void shouldAnswerTcpPingOkForAListeningLoopbackAddressWithFreshStorage(TestCluster cluster) throws Exception {
        // given a host "listening" on 127.0.0.2 that kept writing its storage heartbeat
        ServerSocket listener = closeLater(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2")));
        writeHeartbeat("h-up", 43, false);
        Map<String, String> settings = settings(cluster, "p-tcp");
        settings.put("probe.ping.method", "tcp:" + listener.getLocalPort());
        ProbeTraffic traffic = start(cluster, settings);

        // when
        ProbeRequest request = traffic.send(ProbeTraffic.request("h-up", "127.0.0.2", 40));

        // then
        ProbeResult result = traffic.awaitResults(List.of(request), 1, RESULT_WAIT)
                .get(request.getRequestId())
                .get(0);
        assertThat(result.getProber()).isEqualTo("p-tcp");
        assertThat(result.getHost()).isEqualTo("h-up");
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.OK);
        assertThat(result.getPing().getMethod()).isEqualTo(PingMethod.TCP);
        assertThat(result.getPing().getRttMicros()).isNotNull();
        assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.FRESH);
        assertThat(result.getStorage().getSequence()).isEqualTo(43L);
    }

    @Test
    void shouldAnswerIcmpOkForLoopbackAndFailedForANamespaceHostWhoseLinkIsDown(TestCluster cluster) throws Exception {
        TOOLS.requireTestHosts();
        TOOLS.requireTool("ping");
        // given a test host whose link this test takes down, and one loopback host
        TestNetwork network = closeLater(TestNetwork.create(2));
        TestHost silent = network.addHost("silent");
        silent.linkDown();
        writeHeartbeat("h-loop", 11, false);
        writeHeartbeat("h-dead", 7, false);
        ProbeTraffic traffic = start(cluster, settings(cluster, "p-icmp"));

        // when
        ProbeRequest alive = traffic.send(ProbeTraffic.request("h-loop", "127.0.0.1", 8));
        ProbeRequest dead = traffic.send(ProbeTraffic.request("h-dead", silent.address(), 7));
        ProbeRequest unknown = traffic.send(ProbeTraffic.request("h-nofile", "127.0.0.1", 3));
        ProbeRequest badAddress = traffic.send(ProbeTraffic.request("h-loop", "no-such-host.test", 8));
        Map<String, List<ProbeResult>> results =
                traffic.awaitResults(List.of(alive, dead, unknown, badAddress), 1, RESULT_WAIT);

        // then
        ProbeResult up = results.get(alive.getRequestId()).get(0);
        assertThat(up.getPing().getStatus()).isEqualTo(PingStatus.OK);
        assertThat(up.getPing().getMethod()).isEqualTo(PingMethod.ICMP);
        assertThat(up.getPing().getRttMicros()).isNotNull();
        assertThat(up.getStorage().getStatus()).isEqualTo(StorageStatus.FRESH);

        ProbeResult down = results.get(dead.getRequestId()).get(0);
        assertThat(down.getPing().getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(down.getPing().getDetail()).contains("no echo reply");
        assertThat(down.getStorage().getStatus()).isEqualTo(StorageStatus.STALE);

        assertThat(results.get(unknown.getRequestId()).get(0).getStorage().getStatus())
                .isEqualTo(StorageStatus.MISSING);
        ProbeResult bad = results.get(badAddress.getRequestId()).get(0);
        assertThat(bad.getPing().getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(bad.getPing().getDetail()).contains("cannot resolve");
    }

    @Test
    void shouldAnswerTcpFailedForANamespaceHostWhoseLinkIsDownAndOkForARefusedLoopbackPort(TestCluster cluster)
            throws Exception {
        TOOLS.requireTestHosts();
        // given a test host whose link this test takes down, and a loopback address with nothing on port 1
        TestNetwork network = closeLater(TestNetwork.create(1));
        TestHost silent = network.addHost("silent");
        silent.linkDown();
        writeHeartbeat("h-dead", 7, false);
        writeHeartbeat("h-closed", 13, false);
        Map<String, String> settings = settings(cluster, "p-tcp-down");
        settings.put("probe.ping.method", "tcp:1");
        ProbeTraffic traffic = start(cluster, settings);

        // when
        ProbeRequest dead = traffic.send(ProbeTraffic.request("h-dead", silent.address(), 7));
        ProbeRequest closed = traffic.send(ProbeTraffic.request("h-closed", "127.0.0.3", 10));
        Map<String, List<ProbeResult>> results = traffic.awaitResults(List.of(dead, closed), 1, RESULT_WAIT);

        // then: no answer at all is FAILED; a reset means the host's kernel answered, so it is alive (README)
        ProbeResult down = results.get(dead.getRequestId()).get(0);
        assertThat(down.getPing().getStatus()).isEqualTo(PingStatus.FAILED);
        assertThat(down.getPing().getMethod()).isEqualTo(PingMethod.TCP);
        assertThat(down.getPing().getDetail()).contains("no answer to 3 TCP connects to port 1");
        assertThat(down.getPing().getRttMicros()).isNull();
        assertThat(down.getStorage().getStatus()).isEqualTo(StorageStatus.STALE);

        ProbeResult refused = results.get(closed.getRequestId()).get(0);
        assertThat(refused.getPing().getStatus()).isEqualTo(PingStatus.OK);
        assertThat(refused.getPing().getDetail()).contains("connection refused");
        assertThat(refused.getPing().getRttMicros()).isNotNull();
        assertThat(refused.getStorage().getStatus()).isEqualTo(StorageStatus.FRESH);
    }

    @Test
    void shouldAnswerErrorNotFailedWhenTheProbersOwnNetworkSelfCheckFails(TestCluster cluster) throws Exception {
        TOOLS.requireTestHosts();
        TOOLS.requireTool("ping");
        // given the prober's reference address is a test host whose link is down: its own network looks broken
        TestNetwork network = closeLater(TestNetwork.create(2));
        TestHost reference = network.addHost("reference");
        TestHost silent = network.addHost("silent");
        reference.linkDown();
        silent.linkDown();
        writeHeartbeat("h-dead", 7, false);
        Map<String, String> settings = settings(cluster, "p-blind");
        settings.put("selfcheck.reference.address", reference.address());
        settings.put("selfcheck.reference.method", "icmp");
        ProbeTraffic traffic = start(cluster, settings);

        // when a host that does not answer is probed
        ProbeRequest request = traffic.send(ProbeTraffic.request("h-dead", silent.address(), 7));

        // then: ERROR, never FAILED, and /health says why
        ProbeResult result = traffic.awaitResults(List.of(request), 1, RESULT_WAIT)
                .get(request.getRequestId())
                .get(0);
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(result.getPing().getDetail()).contains("self-check failed").contains(reference.address());
        assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.STALE);
        HttpResponse<String> health = health(services.get(services.size() - 1));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("network FAILED");
    }

    @Test
    void shouldAnswerStorageErrorWhenTheStorageRootIsNotMounted(TestCluster cluster) throws Exception {
        // given a storage root without the hostwatch directory (an empty mount point)
        Map<String, String> settings = settings(cluster, "p-nostorage");
        settings.put(
                "storage.root",
                Files.createDirectory(storage.resolve("empty-mount")).toString());
        settings.put("probe.ping.method", "tcp:1");
        ProbeTraffic traffic = start(cluster, settings);

        // when
        ProbeRequest request = traffic.send(ProbeTraffic.request("h-any", "127.0.0.1", 7));

        // then
        ProbeResult result = traffic.awaitResults(List.of(request), 1, RESULT_WAIT)
                .get(request.getRequestId())
                .get(0);
        assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.ERROR);
        assertThat(result.getStorage().getDetail())
                .contains("self-check failed")
                .contains("not mounted?");
        assertThat(result.getPing().getStatus()).isEqualTo(PingStatus.OK);
    }

    @Test
    void shouldDeadLetterGarbageAndStillAnswerTheNextRequestThenCommitBoth(TestCluster cluster) throws Exception {
        // given
        writeHeartbeat("h1", 5, true);
        Map<String, String> settings = settings(cluster, "p-dlq");
        settings.put("probe.ping.method", "tcp:1");
        ProbeTraffic traffic = start(cluster, settings);

        // when garbage and then a valid request go to the same partition (same key)
        traffic.sendRaw("h1", "this is not avro".getBytes(StandardCharsets.UTF_8));
        ProbeRequest next = traffic.send(ProbeTraffic.request("h1", "127.0.0.1", 2));

        // then
        ProbeResult result = traffic.awaitResults(List.of(next), 1, RESULT_WAIT)
                .get(next.getRequestId())
                .get(0);
        assertThat(result.getStorage().getStatus()).isEqualTo(StorageStatus.FRESH);
        assertThat(result.getStorage().getSelfIsolated()).isTrue();
        ConsumerRecord<byte[], byte[]> dead =
                traffic.awaitDeadLetters(1, RESULT_WAIT).get(0);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("this is not avro");
        Map<String, String> headers = new HashMap<>();
        for (Header header : dead.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers)
                .containsEntry(DeadLetters.REJECTED_BY, "prober-p-dlq")
                .containsEntry(DeadLetters.SOURCE_TOPIC, layout.probeRequests());

        // and both offsets are committed once the result and dead letter were acknowledged
        TopicPartition partition =
                new TopicPartition(layout.probeRequests(), Integer.parseInt(headers.get(DeadLetters.SOURCE_PARTITION)));
        long garbageOffset = Long.parseLong(headers.get(DeadLetters.SOURCE_OFFSET));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = cluster.admin()
                    .listConsumerGroupOffsets("hostwatch-prober.p-dlq")
                    .partitionsToOffsetAndMetadata()
                    .get();
            assertThat(committed.get(partition)).isNotNull();
            assertThat(committed.get(partition).offset()).isEqualTo(garbageOffset + 2);
        });
    }

    @Test
    void shouldAnswerEveryRequestOncePerProberWhenFanoutIsAll(TestCluster cluster) throws Exception {
        // given two probers (two vantage points) on the same topics
        writeHeartbeat("h1", 10, false);
        Map<String, String> first = settings(cluster, "p-a");
        first.put("probe.ping.method", "tcp:1");
        ProbeTraffic traffic = start(cluster, first);
        Map<String, String> second = new HashMap<>(first);
        second.put("prober.id", "p-b");
        startService(second);

        // when
        ProbeRequest request = traffic.send(ProbeTraffic.request("h1", "127.0.0.1", 7));

        // then
        List<ProbeResult> results =
                traffic.awaitResults(List.of(request), 2, RESULT_WAIT).get(request.getRequestId());
        assertThat(results.stream().map(ProbeResult::getProber).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("p-a", "p-b");
        assertThat(results).hasSize(2);
    }

    // ---------------------------------------------------------------------------------------------------------

    private TopicLayout layout;
    private final List<ProberService> services = new ArrayList<>();

    private Map<String, String> settings(TestCluster cluster, String proberId) throws IOException {
        if (layout == null) {
            layout = new TopicLayout(cluster.newTopicPrefix(), PARTITIONS);
        }
        Files.createDirectories(storage.resolve(StorageHeartbeat.DIRECTORY));
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        settings.put("schema.registry.url", cluster.registryUrl());
        settings.put("topic.prefix", layout.prefix());
        settings.put("topic.partitions", Integer.toString(PARTITIONS));
        settings.put("prober.id", proberId);
        settings.put("storage.root", storage.toString());
        settings.put("storage.recheck.delay.ms", "300");
        settings.put("ops.bind.address", "127.0.0.1");
        settings.put("ops.port", "0");
        return settings;
    }

    private ProbeTraffic start(TestCluster cluster, Map<String, String> settings) throws InterruptedException {
        startService(settings);
        return closeLater(new ProbeTraffic(cluster, layout));
    }

    private ProberService startService(Map<String, String> settings) throws InterruptedException {
        ProberService service = closeLater(ProberService.start(new ProberConfig(settings)));
        services.add(service);
        await().atMost(Duration.ofSeconds(30)).until(service::ready);
        return service;
    }

    private static HttpResponse<String> health(ProberService service) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.opsPort() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private void writeHeartbeat(String host, long sequence, boolean isolated) throws IOException {
        Files.createDirectories(storage.resolve(StorageHeartbeat.DIRECTORY));
        Files.write(
                StorageHeartbeat.file(storage, host),
                new StorageHeartbeat(host, "agent-" + host, sequence, System.currentTimeMillis(), isolated).toBytes());
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }
}
