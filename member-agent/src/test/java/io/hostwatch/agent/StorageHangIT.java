package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.agent.HeartbeatTap.Received;
import io.hostwatch.agent.storage.AtomicFileWriter;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.ExternalTools;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hung storage write, as on a dead NFS server, made real: the agent's temp file is replaced by a FIFO, so the
 * next write blocks in open(2) until someone opens the FIFO for reading.
 */
@ExtendWith(LocalClusterExtension.class)
class StorageHangIT {
    private static final String HOST = "compute-hang";

    @Test
    void shouldKeepNetworkHeartbeatsOnTimeWhileStorageWriteHangs(TestCluster cluster, @TempDir Path storage)
            throws Exception {
        // given
        Path mkfifo = ExternalTools.system().requireTool("mkfifo");
        String prefix = cluster.newTopicPrefix();
        String topic = AgentFixture.createHeartbeatTopic(cluster, prefix);
        Map<String, String> values = AgentFixture.baseConfig(cluster, prefix);
        values.put("host.id", HOST);
        values.put("storage.root", storage.toString());
        values.put("storage.write.timeout.ms", "400");
        MemberAgentConfig config = new MemberAgentConfig(values);
        Path fifo = AtomicFileWriter.tempFileOf(StorageHeartbeat.file(storage, HOST));

        try (HeartbeatTap tap = AgentFixture.tap(cluster, topic);
                MemberAgent agent = MemberAgent.start(config, List.of(LocalIdentity.resolve(config)))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> tap.of(HOST).stream()
                            .anyMatch(r -> r.heartbeat().getStorageSequence() >= 3
                                    && r.heartbeat().getStorageWriteOk()));
            try {
                // when: the agent's own temp file exists during each write, so retry until mkfifo gets in between
                await().alias("mkfifo between two storage writes")
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> mkfifo(mkfifo, fifo));
                long hangStartMillis = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> tap.of(HOST).stream()
                                .anyMatch(r -> !r.heartbeat().getStorageWriteOk()));
                long frozen = storageSequenceIn(storage);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> tap.of(HOST).stream()
                                        .filter(r -> r.heartbeat().getSentAt().toEpochMilli() > hangStartMillis)
                                        .count()
                                >= 15);

                // then: during the hang network heartbeats came every interval, saying storage is failing
                List<Received> duringHang = tap.of(HOST).stream()
                        .filter(r -> r.heartbeat().getSentAt().toEpochMilli() > hangStartMillis)
                        .toList();
                for (int i = 1; i < duringHang.size(); i++) {
                    long gap = duringHang.get(i).heartbeat().getSentAt().toEpochMilli()
                            - duringHang.get(i - 1).heartbeat().getSentAt().toEpochMilli();
                    assertThat(gap)
                            .as("gap between network heartbeats during the storage hang")
                            .isLessThan(400);
                }
                List<Received> reportedFailing = duringHang.stream()
                        .filter(r -> !r.heartbeat().getStorageWriteOk())
                        .toList();
                assertThat(reportedFailing).hasSizeGreaterThanOrEqualTo(10);
                assertThat(reportedFailing).allMatch(r -> r.heartbeat().getStorageSequence() <= frozen);
                assertThat(storageSequenceIn(storage)).isEqualTo(frozen);
            } finally {
                release(fifo);
            }

            // and when the storage answers again, writes succeed and the sequence moves on
            long released = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tap.of(HOST).stream()
                            .anyMatch(r -> r.heartbeat().getSentAt().toEpochMilli() > released
                                    && r.heartbeat().getStorageWriteOk()));
            await().atMost(Duration.ofSeconds(10)).until(() -> storageSequenceIn(storage) > 3);
        }
    }

    private static long storageSequenceIn(Path storage) throws Exception {
        return StorageHeartbeat.parse(Files.readAllBytes(StorageHeartbeat.file(storage, HOST)))
                .storageSequence();
    }

    /** False when the temp file exists at that moment (EEXIST: a storage write is between open and rename). */
    private static boolean mkfifo(Path mkfifo, Path fifo) throws Exception {
        Process process = new ProcessBuilder(mkfifo.toString(), fifo.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0;
    }

    /** Opening a FIFO read-write never blocks and lets a writer blocked in open(2) through; then remove it. */
    private static void release(Path fifo) throws Exception {
        if (!Files.exists(fifo)) {
            return;
        }
        try (RandomAccessFile unblock = new RandomAccessFile(fifo.toFile(), "rw")) {
            Files.delete(fifo);
        }
    }
}
