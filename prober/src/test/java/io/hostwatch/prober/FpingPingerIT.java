package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.testkit.ExternalTools;
import io.hostwatch.testkit.netns.TestHost;
import io.hostwatch.testkit.netns.TestNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real fping with the prober's default ICMP settings (3 attempts 200 ms apart, 1 s timeout, batches of 128,
 * 2,048 in flight) against 1,000 hosts at once: loopback addresses (127.1.0.0/16 all answer) and addresses of a
 * namespace test network routed to a test host whose link is down (a rack that lost power). fping runs through a
 * stand-in that logs each start, so the tests also see that 1,000 hosts make a handful of processes, not 1,000.
 * How fast is the benchmark's question ({@code IcmpBurstBenchmark}): on a machine shared with other builds a
 * timed assertion would only measure the neighbours, so the deadline here is generous. Traffic goes only to
 * loopback and to the test network's block.
 */
@Timeout(120)
class FpingPingerIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path runs;
    private AddressResolver resolver;
    private FpingPinger pinger;

    @BeforeEach
    void setUp() throws IOException {
        String fping = ExternalTools.system().requireTool("fping").toString();
        runs = dir.resolve("runs");
        Path command = dir.resolve("logging-fping");
        Files.writeString(command, "#!/bin/sh\necho run >> " + runs + "\nexec " + fping + " \"$@\"\n");
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
        resolver = new AddressResolver(1);
        pinger = new FpingPinger(
                command.toString(),
                ProberConfig.PING_COUNT_DEFAULT,
                Duration.ofMillis(ProberConfig.PING_INTERVAL_MS_DEFAULT),
                Duration.ofMillis(ProberConfig.PING_TIMEOUT_MS_DEFAULT),
                ProberConfig.FPING_MAX_CONCURRENT_AUTO,
                ProberConfig.ICMP_BATCH_SIZE_DEFAULT,
                Duration.ofMillis(ProberConfig.ICMP_BATCH_WINDOW_MS_DEFAULT),
                resolver);
    }

    @AfterEach
    void tearDown() {
        if (pinger != null) {
            pinger.close();
            resolver.close();
        }
    }

    @Test
    void shouldBeOkForAThousandLoopbackHostsPingedAtOnce() throws Exception {
        // given
        List<String> addresses = loopback(1000);

        // when
        Map<String, PingOutcome> outcomes = pingAll(addresses);

        // then: full batches where the pings came fast enough, never one process per ping
        assertThat(statusCounts(outcomes)).isEqualTo(Map.of(PingStatus.OK, 1000L));
        assertThat(Files.readAllLines(runs)).hasSizeBetween(minimumProcesses(1000), 100);
    }

    @Test
    void shouldBeFailedForAThousandSilentHostsAndOkForTheLiveOnesAmongThem() throws Exception {
        ExternalTools.system().requireTestHosts();
        try (TestNetwork network = TestNetwork.create(300)) {
            // given a rack of 1,000 silent addresses, mixed into the same batches with 200 live loopback hosts
            TestHost rack = network.addHost("rack");
            List<String> silent = network.spareAddressesVia(rack, 1000);
            rack.linkDown();
            List<String> live = loopback(200);
            List<String> all = new ArrayList<>();
            for (int i = 0; i < silent.size(); i++) {
                all.add(silent.get(i));
                if (i % 5 == 0) {
                    all.add(live.get(i / 5));
                }
            }

            // when
            Map<String, PingOutcome> outcomes = pingAll(all);

            // then
            assertThat(silent).allSatisfy(address -> {
                assertThat(outcomes.get(address).getStatus()).isEqualTo(PingStatus.FAILED);
                assertThat(outcomes.get(address).getDetail()).startsWith("no echo reply to 3 requests");
            });
            assertThat(live)
                    .allSatisfy(address ->
                            assertThat(outcomes.get(address).getStatus()).isEqualTo(PingStatus.OK));
        }
    }

    @Test
    void shouldBeOkForANamespaceHostWhoseLinkIsUpAndFailedOnceItIsDown() throws Exception {
        ExternalTools.system().requireTestHosts();
        try (TestNetwork network = TestNetwork.create(1)) {
            // given
            TestHost host = network.addHost("compute-1");

            // when / then
            assertThat(pingAll(List.of(host.address())).get(host.address()).getStatus())
                    .isEqualTo(PingStatus.OK);
            host.linkDown();
            assertThat(pingAll(List.of(host.address())).get(host.address()).getStatus())
                    .isEqualTo(PingStatus.FAILED);
        }
    }

    private Map<String, PingOutcome> pingAll(List<String> addresses) throws Exception {
        Deadline deadline = Deadline.in(DEADLINE);
        Map<String, CompletableFuture<PingOutcome>> futures = addresses.stream()
                .collect(Collectors.toMap(Function.identity(), address -> pinger.ping(address, deadline)));
        CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        // an answer after the deadline is ERROR in the prober: none may come late
        assertThat(deadline.passed())
                .as("all answered within the %s deadline", DEADLINE)
                .isFalse();
        return futures.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().join()));
    }

    private static int minimumProcesses(int hosts) {
        return (hosts + ProberConfig.ICMP_BATCH_SIZE_DEFAULT - 1) / ProberConfig.ICMP_BATCH_SIZE_DEFAULT;
    }

    private static Map<PingStatus, Long> statusCounts(Map<String, PingOutcome> outcomes) {
        return outcomes.values().stream().collect(Collectors.groupingBy(PingOutcome::getStatus, Collectors.counting()));
    }

    private static List<String> loopback(int count) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("127.1." + (i / 250) + "." + (i % 250 + 1));
        }
        return addresses;
    }
}
