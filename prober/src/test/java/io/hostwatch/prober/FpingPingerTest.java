package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.testkit.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching around fping: real fping against 127.0.0.0/8 and ::1 only (loopback; every 127.x.y.z answers), and
 * stand-in scripts for a dying or slow fping. A stand-in that logs its arguments and then runs the real fping
 * counts the processes.
 */
@Timeout(30)
class FpingPingerTest {
    private static final Deadline LATER = Deadline.in(Duration.ofHours(1));

    @TempDir
    Path dir;

    private AddressResolver resolver;
    private final List<FpingPinger> pingers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        resolver = new AddressResolver(1);
    }

    @AfterEach
    void tearDown() {
        pingers.forEach(FpingPinger::close);
        resolver.close();
    }

    @Test
    void shouldPingManyLoopbackHostsWithOneFpingPerBatch() throws Exception {
        // given a logging stand-in around the real fping, batches of 64 collected for up to 1 s (so that this test
        // does not depend on how fast its loop runs)
        String fping = ExternalTools.system().requireTool("fping").toString();
        Path runs = dir.resolve("runs");
        Path command = script("logging-fping", "echo \"$@\" >> " + runs + "\nexec " + fping + " \"$@\"\n");
        FpingPinger pinger = pinger(command.toString(), 3, 2048, 64, Duration.ofSeconds(1));

        // when 200 hosts are pinged at once
        List<CompletableFuture<PingOutcome>> outcomes = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            outcomes.add(pinger.ping("127.0.1." + i, LATER));
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        // then every one is OK with an RTT, from 4 fping processes, not 200
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.join().getStatus()).isEqualTo(PingStatus.OK);
            assertThat(outcome.join().getMethod()).isEqualTo(PingMethod.ICMP);
            assertThat(outcome.join().getRttMicros()).isNotNull();
        });
        assertThat(Files.readAllLines(runs)).hasSize(4);
    }

    @Test
    void shouldBeOkAtTheFirstReplyForIpv4AndIpv6InOneBatch() throws Exception {
        // given 8 attempts 200 ms apart: running them all would take at least 1.4 s
        String fping = ExternalTools.system().requireTool("fping").toString();
        FpingPinger pinger = pinger(fping, 8, 2048, 64);

        // when
        long start = System.nanoTime();
        CompletableFuture<PingOutcome> v4 = pinger.ping("127.0.0.1", LATER);
        CompletableFuture<PingOutcome> v6 = pinger.ping("::1", LATER);
        PingOutcome v4Outcome = v4.get(5, TimeUnit.SECONDS);
        PingOutcome v6Outcome = v6.get(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        // then
        assertThat(v4Outcome.getStatus()).isEqualTo(PingStatus.OK);
        assertThat(v6Outcome.getStatus()).isEqualTo(PingStatus.OK);
        assertThat(millis).isLessThan(1200);
    }

    @Test
    void shouldBeErrorNotFailedWhenFpingDiesMidway() throws Exception {
        // given a stand-in that reports the first of three requests timed out for each target, then is killed
        Path command = script(
                "dying-fping",
                "for t in \"$@\"; do echo \"$t : [0], timed out (NaN avg, 100% loss)\"; done\nkill -9 $$\n");
        FpingPinger pinger = pinger(command.toString(), 3, 2048, 64);

        // when
        PingOutcome outcome = pinger.ping("127.0.0.1", LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(outcome.getDetail()).contains("fping exited with 137");
    }

    @Test
    void shouldBeErrorWhenFpingCannotRun() throws Exception {
        // given
        FpingPinger pinger = pinger(dir.resolve("no-such-fping").toString(), 1, 2048, 64);

        // when
        PingOutcome outcome = pinger.ping("127.0.0.1", LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(outcome.getDetail()).startsWith("cannot run fping");
    }

    @Test
    void shouldBeErrorWithoutRunningFpingWhenTheAddressIsInvalid() throws Exception {
        // given
        Path runs = dir.resolve("runs");
        FpingPinger pinger =
                pinger(script("never-fping", "echo run >> " + runs + "\n").toString(), 1, 2048, 64);

        // when
        PingOutcome outcome = pinger.ping("no-such-host.test", LATER).get(5, TimeUnit.SECONDS);

        // then
        assertThat(outcome.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(outcome.getDetail()).contains("cannot resolve 'no-such-host.test'");
        assertThat(runs).doesNotExist();
    }

    @Test
    void shouldNotRunABatchWhoseDeadlinePassedWhileItWaitedForAProcess() throws Exception {
        // given one process at a time, one host per batch, a stand-in that answers after 300 ms and logs each run
        Path runs = dir.resolve("runs");
        Path command = script(
                "slow-fping",
                "echo run >> " + runs + "\nsleep 0.3\n"
                        + "for t in \"$@\"; do echo \"$t : [0], 64 bytes, 0.05 ms (0.05 avg, 0% loss)\"; done\n");
        FpingPinger oneProcess = pinger(command.toString(), 1, 1, 1);

        // when a second ping, due in 100 ms, waits for the first
        CompletableFuture<PingOutcome> first = oneProcess.ping("127.0.0.1", LATER);
        CompletableFuture<PingOutcome> late = oneProcess.ping("127.0.0.2", Deadline.in(Duration.ofMillis(100)));

        // then it is not run at all
        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.OK);
        PingOutcome skipped = late.get(5, TimeUnit.SECONDS);
        assertThat(skipped.getStatus()).isEqualTo(PingStatus.ERROR);
        assertThat(skipped.getDetail()).contains("deadline passed while the ping waited");
        assertThat(Files.readAllLines(runs)).hasSize(1);
    }

    @Test
    void shouldAnswerEveryPingOfTheSameHostInABatch() throws Exception {
        // given
        String fping = ExternalTools.system().requireTool("fping").toString();
        FpingPinger pinger = pinger(fping, 1, 2048, 64);

        // when two requests for one host arrive together
        CompletableFuture<PingOutcome> one = pinger.ping("127.0.0.5", LATER);
        CompletableFuture<PingOutcome> two = pinger.ping("127.0.0.5", LATER);

        // then
        assertThat(one.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.OK);
        assertThat(two.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(PingStatus.OK);
    }

    @Test
    void shouldRefuseToStartWhenFpingIsConfiguredButCannotRun() {
        // given
        ProberConfig fping =
                config(Map.of("probe.icmp.tool", "fping", "probe.icmp.fping.command", "/nonexistent/fping"));
        ProberConfig auto = config(Map.of("probe.icmp.fping.command", "/nonexistent/fping"));

        // then
        assertThatThrownBy(() -> ProberService.icmpTool(fping))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("probe.icmp.tool")
                .hasMessageContaining("install fping");
        assertThat(ProberService.icmpTool(auto)).isEqualTo(IcmpTool.PING);
        assertThat(ProberService.icmpTool(config(Map.of("probe.icmp.tool", "ping"))))
                .isEqualTo(IcmpTool.PING);
        assertThatThrownBy(() -> config(Map.of("probe.icmp.tool", "nmap")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("probe.icmp.tool");
    }

    @Test
    void shouldUseFpingWhenAutoFindsIt() {
        ExternalTools.system().requireTool("fping");
        assertThat(ProberService.icmpTool(config(Map.of()))).isEqualTo(IcmpTool.FPING);
    }

    private static ProberConfig config(Map<String, String> extra) {
        Map<String, String> props = new java.util.HashMap<>(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "schema.registry.url", "http://127.0.0.1:8081",
                "storage.root", "/tmp",
                "prober.id", "p1"));
        props.putAll(extra);
        return new ProberConfig(props);
    }

    private FpingPinger pinger(String command, int count, int maxConcurrent, int batchSize) {
        return pinger(command, count, maxConcurrent, batchSize, Duration.ofMillis(5));
    }

    private FpingPinger pinger(String command, int count, int maxConcurrent, int batchSize, Duration window) {
        FpingPinger pinger = new FpingPinger(
                command,
                count,
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                maxConcurrent,
                batchSize,
                window,
                resolver);
        pingers.add(pinger);
        return pinger;
    }

    private Path script(String name, String body) throws Exception {
        Path command = dir.resolve(name);
        Files.writeString(command, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
        return command;
    }
}
