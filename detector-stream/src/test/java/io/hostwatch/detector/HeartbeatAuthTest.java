package io.hostwatch.detector;

import static io.hostwatch.detector.DetectorDriver.heartbeatOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.auth.Authenticators;
import io.hostwatch.auth.HostKey;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.deadletter.DeadLetters;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.ProbeRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authenticated heartbeats and input rules in the topology: rejected before they touch any state. */
class HeartbeatAuthTest {
    private static final String HOST = "compute-01";
    private static final String OTHER = "compute-02";

    @TempDir
    Path dir;

    private MasterKey k1;
    private MasterKey k2;
    private DetectorMetrics metrics;
    private DetectorDriver detector;
    private long sequence;

    @BeforeEach
    void setUp() throws Exception {
        k1 = KeyFiles.generateMaster("k1");
        k2 = KeyFiles.generateMaster("k2");
        KeyFiles.write(dir.resolve("k1.key"), k1);
        KeyFiles.write(dir.resolve("k2.key"), k2);
        detector = driver("required", dir.resolve("k1.key") + "," + dir.resolve("k2.key"));
    }

    private DetectorDriver driver(String mode, String keyFiles) {
        metrics = new DetectorMetrics();
        return new DetectorDriver(
                dir.resolve("state-" + mode + System.nanoTime()),
                Map.of(
                        DetectorConfig.AUTH_MASTER_KEY_FILES_CONFIG, keyFiles,
                        DetectorConfig.HEARTBEAT_AUTHENTICATION_CONFIG, mode),
                metrics);
    }

    @AfterEach
    void tearDown() {
        detector.close();
    }

    private Heartbeat signed(HostKey key, Heartbeat.Builder builder) {
        return Authenticators.authenticate(key, builder.build());
    }

    private Heartbeat.Builder next(String host) {
        return heartbeatOf(host).setSequence(++sequence).setSentAt(Instant.ofEpochMilli(detector.now()));
    }

    private void send(Heartbeat heartbeat) {
        detector.heartbeatAsIs(heartbeat.getHost(), heartbeat);
    }

    private static String header(TestRecord<byte[], byte[]> letter, String name) {
        Header header = letter.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void assertRejected(String reason) {
        List<TestRecord<byte[], byte[]>> letters = detector.deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(header(letters.get(0), DeadLetters.REASON)).isEqualTo(reason);
        assertThat(metrics.heartbeatsRejected(reason)).isEqualTo(1.0);
    }

    @Test
    void shouldAcceptAHeartbeatAuthenticatedWithTheHostsOwnKey() {
        // when
        send(signed(k1.derive(HOST), next(HOST)));

        // then
        assertThat(detector.hostStates()).extracting(HostState::getState).containsExactly(HostStatus.RUNNING);
        assertThat(detector.deadLetters()).isEmpty();
    }

    @Test
    void shouldRejectAHeartbeatForAnotherHostMadeWithADifferentHostsKeyWithoutTouchingState() {
        // given
        send(signed(k1.derive(HOST), next(HOST)));
        detector.hostStates();
        HostRecord before = detector.record(HOST);

        // when OTHER's agent forges a DOWN heartbeat for HOST, pointing the probers elsewhere
        detector.advanceBy(500);
        Heartbeat forged = signed(
                k1.derive(OTHER),
                next(HOST)
                        .setServiceStatus(io.hostwatch.schema.ServiceStatus.DOWN)
                        .setAddress("192.0.2.66"));
        forged.setKeyId("k1");
        send(forged);

        // then
        assertRejected("bad-authenticator");
        assertThat(detector.hostStates()).isEmpty();
        assertThat(new HostRecordSerde().serialize("t", detector.record(HOST)))
                .isEqualTo(new HostRecordSerde().serialize("t", before));
    }

    @Test
    void shouldProbeTheAddressOfTheLastAuthenticHeartbeatOnly() {
        // given
        send(signed(k1.derive(HOST), next(HOST).setAddress("10.1.0.7")));
        send(signed(k1.derive(OTHER), next(HOST).setAddress("192.0.2.66")));

        // when the host falls silent
        detector.advanceBy(3500);

        // then
        ProbeRequest request = detector.singleProbeRequest();
        assertThat(request.getAddress()).isEqualTo("10.1.0.7");
    }

    @Test
    void shouldRejectAReplayedHeartbeatOfTheSameAgentInstance() {
        // given
        Heartbeat first = signed(k1.derive(HOST), next(HOST));
        send(first);
        detector.advanceBy(500);
        send(signed(k1.derive(HOST), next(HOST)));
        detector.deadLetters();
        long lastHeartbeatAt = detector.record(HOST).lastHeartbeatAt;

        // when the first heartbeat is sent again, byte for byte
        detector.advanceBy(500);
        send(first);

        // then
        assertRejected("replayed");
        assertThat(detector.record(HOST).lastHeartbeatAt).isEqualTo(lastHeartbeatAt);
    }

    @Test
    void shouldRejectAHeartbeatOfAnEarlierAgentInstance() {
        // given an agent restart
        Heartbeat old = signed(k1.derive(HOST), next(HOST).setAgentInstance("before-restart"));
        send(old);
        detector.advanceBy(1000);
        send(signed(
                k1.derive(HOST), next(HOST).setAgentInstance("after-restart").setSequence(0)));

        // when the earlier instance's heartbeat comes back
        detector.advanceBy(1000);
        send(old);

        // then
        assertRejected("replayed");
        assertThat(detector.record(HOST).agentInstance).isEqualTo("after-restart");
    }

    @Test
    void shouldRejectAnAuthenticHeartbeatFarFromBrokerTime() {
        // when
        send(signed(k1.derive(HOST), next(HOST).setSentAt(Instant.ofEpochMilli(detector.now() - 10 * 60_000))));

        // then
        assertRejected("clock-skew");
        assertThat(detector.record(HOST)).isNull();
    }

    @Test
    void shouldRejectAnUnauthenticatedHeartbeatWhenRequired() {
        // when
        send(next(HOST).build());

        // then
        assertRejected("unauthenticated");
        assertThat(detector.record(HOST)).isNull();
    }

    @Test
    void shouldAcceptAndCountAnUnauthenticatedHeartbeatWhenOptionalButStillCheckAuthenticatedOnes() {
        // given
        detector.close();
        detector = driver("optional", dir.resolve("k1.key").toString());

        // when
        send(next(HOST).build());
        Heartbeat forged = signed(k1.derive(HOST), next(OTHER));
        forged.setKeyId("k1");
        send(forged);

        // then
        assertThat(detector.record(HOST)).isNotNull();
        assertThat(detector.record(OTHER)).isNull();
        assertRejected("bad-authenticator");
    }

    @Test
    void shouldAcceptBothKeyVersionsDuringARotationAndRejectAnUnknownOne() {
        // when the host moves from k1 to k2
        send(signed(k1.derive(HOST), next(HOST)));
        detector.advanceBy(1000);
        send(signed(k2.derive(HOST), next(HOST)));
        detector.advanceBy(1000);
        send(signed(KeyFiles.generateMaster("k3").derive(HOST), next(HOST)));

        // then no silence and no false verdict, only the unknown version is rejected
        assertThat(detector.hostStates()).extracting(HostState::getState).containsExactly(HostStatus.RUNNING);
        assertThat(detector.probeRequests()).isEmpty();
        assertRejected("unknown-key-id");
    }

    @Test
    void shouldRejectEachKindOfBadInputBeforeItCreatesAHost() {
        // given
        Map<String, Heartbeat.Builder> bad = new java.util.LinkedHashMap<>();
        bad.put("invalid-host-id", next("").setHost(""));
        bad.put("invalid-host-id ", next("x".repeat(20_000)));
        bad.put("invalid-address", next(HOST).setAddress("999.999.1.1; rm -rf /"));
        bad.put("invalid-sequence", next(HOST).setSequence(-5));
        bad.put("invalid-interval", next(HOST).setIntervalMs(0));

        for (var entry : bad.entrySet()) {
            // when
            Heartbeat heartbeat = signed(k1.derive(entry.getValue().getHost()), entry.getValue());
            send(heartbeat);

            // then
            List<TestRecord<byte[], byte[]>> letters = detector.deadLetters();
            assertThat(letters).as(entry.getKey()).hasSize(1);
            assertThat(header(letters.get(0), DeadLetters.REASON))
                    .isEqualTo(entry.getKey().trim());
        }
        // a key that differs from the value's host
        detector.heartbeatAsIs(OTHER, signed(k1.derive(HOST), next(HOST)));
        assertThat(detector.deadLetters())
                .singleElement()
                .satisfies(
                        letter -> assertThat(header(letter, DeadLetters.REASON)).isEqualTo("key-mismatch"));
        assertThat(detector.hostCount()).isZero();
        assertThat(detector.hostStates()).isEmpty();
        assertThat(metrics.heartbeatsRejected("invalid-host-id")).isEqualTo(2.0);

        // and the next valid heartbeat is processed
        send(signed(k1.derive(HOST), next(HOST)));
        assertThat(detector.hostStates()).extracting(HostState::getHost).containsExactly(HOST);
    }

    @Test
    void shouldKeepTheOriginalBytesAndSourceInTheDeadLetter() {
        // when
        send(next(HOST).build());

        // then
        TestRecord<byte[], byte[]> letter = detector.deadLetters().get(0);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(HOST);
        assertThat(letter.value()[0]).isZero();
        assertThat(header(letter, DeadLetters.SOURCE_TOPIC))
                .isEqualTo(detector.topics.heartbeats().name());
        assertThat(header(letter, DeadLetters.REJECTED_BY)).startsWith("detector-");
    }
}
