package io.hostwatch.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.local.ManagedProcess;
import io.hostwatch.testkit.ExternalTools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class TestNetworkIT {
    private static final Duration SHORT = Duration.ofSeconds(5);

    @TempDir
    Path logs;

    private static final ExternalTools TOOLS = ExternalTools.system();

    @BeforeEach
    void requireTestHosts() {
        TOOLS.requireTestHosts();
    }

    @Test
    void shouldCreatePingableHostsTakeLinkDownAndCleanUpEverythingWhenClosed() throws Exception {
        TOOLS.requireTool("ping");
        ManagedProcess sleeper;
        TestHost host;
        try (TestNetwork network = TestNetwork.create()) {
            // given
            host = network.addHost("compute-1");
            TestHost other = network.addHost("compute-2");
            assertThat(network.subnet().contains(Ipv4Prefix.parse(host.address())))
                    .isTrue();
            assertThat(host.address()).isNotEqualTo(other.address());

            // then: the machine reaches the host, the host reaches the machine's service address
            assertThat(ping(host.address())).as("ping %s", host).isTrue();
            try (ServerSocket service = new ServerSocket(0, 5, InetAddress.getByName(network.serviceAddress()))) {
                assertThat(connectFrom(host, network.serviceAddress(), service.getLocalPort()))
                        .isTrue();
            }

            // when: the link goes down inside the namespace
            host.linkDown();

            // then: no answer, the route still points at the veth (never the default gateway), the other host is fine
            assertThat(host.isLinkUp()).isFalse();
            assertThat(ping(host.address())).isFalse();
            assertThat(Commands.runOrThrow(List.of("ip", "route", "get", host.address()))
                            .stdout())
                    .contains("dev " + host.hostInterface())
                    .doesNotContain(" via ");
            assertThat(ping(other.address())).isTrue();

            // when: the link comes back
            host.linkUp();

            // then
            await().atMost(SHORT)
                    .untilAsserted(() -> assertThat(ping(host.address())).isTrue());
            try (ServerSocket service = new ServerSocket(0, 5, InetAddress.getByName(network.serviceAddress()))) {
                assertThat(connectFrom(host, network.serviceAddress(), service.getLocalPort()))
                        .isTrue();
            }

            // and a process runs inside the namespace until killed
            sleeper = host.start(List.of("sleep", "600"), logs.resolve("sleep.log"), Map.of());
            assertThat(sleeper.isAlive()).isTrue();
            assertThat(Commands.runOrThrow(List.of("ip", "netns", "pids", host.namespace()))
                            .stdout())
                    .contains(Long.toString(sleeper.pid()));
        }

        // then: closing removed the process, namespaces, links, service address and blackhole route
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(Commands.runOrThrow(List.of("ip", "netns", "list")).stdout()).doesNotContain(host.namespace());
        assertThat(TestNetwork.resourcesOwnedByThisJvm()).isEmpty();
    }

    @Test
    void shouldKillAProcessWhenAskedLikeKillDashNine() {
        try (TestNetwork network = TestNetwork.create(1)) {
            // given
            TestHost host = network.addHost("compute-1");
            ManagedProcess process = host.start(List.of("sleep", "600"), logs.resolve("k.log"), Map.of());

            // when
            process.kill();

            // then
            assertThat(process.isAlive()).isFalse();
            assertThat(process.exitValue()).isEqualTo(128 + 9);
        }
        assertThat(TestNetwork.resourcesOwnedByThisJvm()).isEmpty();
    }

    @Test
    void shouldSweepLeftoversOfADeadJvmWhenANetworkIsCreated() throws Exception {
        // given resources tagged with the pid of a process that has exited (as a JVM killed by failsafe leaves them)
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String owner = Long.toString(gone.pid(), 36);
        String namespace = "hwt-" + owner + "-1";
        String block = "198.19.255.0/24";
        List<List<String>> undo = new ArrayList<>();
        try {
            Commands.runOrThrow(List.of("ip", "netns", "add", namespace));
            undo.add(List.of("ip", "netns", "del", namespace));
            Commands.runOrThrow(List.of(
                    "ip", "route", "add", "blackhole", block, "proto", "231", "metric", Long.toString(gone.pid())));
            undo.add(List.of(
                    "ip", "route", "del", "blackhole", block, "proto", "231", "metric", Long.toString(gone.pid())));
            Commands.runOrThrow(
                    List.of("ip", "addr", "add", "198.19.255.1/32", "dev", "lo", "label", "lo:hwt" + owner + "-1"));
            undo.add(List.of("ip", "addr", "del", "198.19.255.1/32", "dev", "lo"));

            // when
            try (TestNetwork network = TestNetwork.create(1)) {
                // then
                assertThat(network.subnet().overlaps(Ipv4Prefix.parse(block))).isFalse();
                assertThat(Commands.runOrThrow(List.of("ip", "netns", "list")).stdout())
                        .doesNotContain(namespace);
                assertThat(Commands.runOrThrow(List.of("ip", "-4", "route", "show", "table", "all"))
                                .stdout())
                        .doesNotContain(block);
                assertThat(Commands.runOrThrow(List.of("ip", "-4", "-o", "addr", "show"))
                                .stdout())
                        .doesNotContain("198.19.255.1/32");
            }
        } finally {
            undo.forEach(Commands::run); // only matters if the sweep failed
        }
    }

    @Test
    void shouldDropOnlyTheBlockedPortInsideTheHost() throws IOException {
        TOOLS.requireTools("nft", "ping");
        try (TestNetwork network = TestNetwork.create(1);
                ServerSocket blocked = new ServerSocket(0, 5, InetAddress.getByName(network.serviceAddress()));
                ServerSocket open = new ServerSocket(0, 5, InetAddress.getByName(network.serviceAddress()))) {
            // given
            TestHost host = network.addHost("compute-1");

            // when
            host.blockTcpPort(blocked.getLocalPort());

            // then
            assertThat(connectFrom(host, network.serviceAddress(), blocked.getLocalPort()))
                    .isFalse();
            assertThat(connectFrom(host, network.serviceAddress(), open.getLocalPort()))
                    .isTrue();
            assertThat(ping(host.address())).isTrue();

            // when
            host.unblockTcpPort(blocked.getLocalPort());

            // then
            assertThat(connectFrom(host, network.serviceAddress(), blocked.getLocalPort()))
                    .isTrue();
        }
    }

    private static boolean ping(String address) {
        return Commands.run(
                        List.of(TOOLS.requireTool("ping").toString(), "-n", "-c", "1", "-W", "1", address), null, SHORT)
                .ok();
    }

    /** A TCP connect from inside the host, with bash's /dev/tcp so no extra tool is needed. */
    private static boolean connectFrom(TestHost host, String address, int port) {
        String script = String.format(Locale.ROOT, "exec 3<>/dev/tcp/%s/%d", address, port);
        return host.exec(SHORT, "timeout", "2", "bash", "-c", script).ok();
    }
}
