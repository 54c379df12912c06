package io.hostwatch.testkit.netns;

import io.hostwatch.local.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One test host: a network namespace joined to this machine by a veth pair with a /30 of its own. The namespace
 * side ({@link #address()}) is what other components ping; the machine's side ({@link #gatewayAddress()}) and the
 * network's {@link #serviceAddress()} are how processes inside reach services on this machine (a broker must listen
 * on one of them, or on 0.0.0.0, to be reachable from a test host). The namespace has no default route, so nothing
 * started inside can send traffic anywhere else.
 *
 * <p>Faults are injected only inside the namespace: {@link #linkDown()} takes the namespace's end of the link
 * down, so the machine keeps its route to the /30 and packets to the host die on the veth instead of following the
 * default route out of the machine.
 */
public final class TestHost {
    /** Name of the namespace's interface. */
    public static final String INTERFACE = "eth0";

    private static final String FIREWALL_TABLE = "hwt";

    private final String label;
    private final String namespace;
    private final String hostInterface;
    private final String address;
    private final String gatewayAddress;
    private final String serviceAddress;
    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();
    private boolean firewallReady;

    TestHost(
            String label,
            String namespace,
            String hostInterface,
            String address,
            String gatewayAddress,
            String serviceAddress) {
        this.label = label;
        this.namespace = namespace;
        this.hostInterface = hostInterface;
        this.address = address;
        this.gatewayAddress = gatewayAddress;
        this.serviceAddress = serviceAddress;
    }

    /** The name the test gave this host (free text, for logs). */
    public String label() {
        return label;
    }

    /** The network namespace's name, for {@code ip netns exec}. */
    public String namespace() {
        return namespace;
    }

    /** The machine-side end of the veth pair. Never take it down: see the class comment. */
    public String hostInterface() {
        return hostInterface;
    }

    /** The host's address (namespace side of its /30): what a prober pings. */
    public String address() {
        return address;
    }

    /** The machine's address on this host's /30: reachable from inside as long as the link is up. */
    public String gatewayAddress() {
        return gatewayAddress;
    }

    /** The network-wide address on the machine's loopback, routed from every test host of the network. */
    public String serviceAddress() {
        return serviceAddress;
    }

    /** Takes the namespace's end of the link down: the host stops answering, nothing else changes. */
    public void linkDown() {
        Commands.runOrThrow(List.of("ip", "-n", namespace, "link", "set", INTERFACE, "down"));
    }

    /** Brings the link back and restores the route to the service address (the kernel drops it on link down). */
    public void linkUp() {
        Commands.runOrThrow(List.of("ip", "-n", namespace, "link", "set", INTERFACE, "up"));
        Commands.runOrThrow(List.of(
                "ip",
                "-n",
                namespace,
                "route",
                "replace",
                serviceAddress + "/32",
                "via",
                gatewayAddress,
                "dev",
                INTERFACE));
    }

    public boolean isLinkUp() {
        String line = Commands.runOrThrow(List.of("ip", "-n", namespace, "-o", "link", "show", INTERFACE))
                .stdout();
        int open = line.indexOf('<');
        int close = line.indexOf('>');
        return open >= 0
                && close > open
                && List.of(line.substring(open + 1, close).split(",")).contains("UP");
    }

    /**
     * Starts {@code command} inside the namespace with stdout and stderr appended to {@code logFile}; stdin stays
     * a pipe (a child using an orphan guard exits when it closes).
     */
    public ManagedProcess start(List<String> command, Path logFile, Map<String, String> extraEnv) {
        // ip netns exec execs the command: the process is the command's own, and SIGKILL reaches it
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        try {
            ManagedProcess process = ManagedProcess.start(namespace, full, logFile, extraEnv);
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command + " in " + namespace, e);
        }
    }

    /** Runs {@code command} inside the namespace to completion. */
    public CommandResult exec(Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Commands.run(full, null, timeout);
    }

    /**
     * Drops every TCP packet to or from {@code port} inside the namespace, in both directions (nftables): e.g. cut
     * only the host's path to the broker. Needs {@code nft}; see {@link TestNetwork#portBlockingUnavailableReason()}.
     */
    public synchronized void blockTcpPort(int port) {
        ensureFirewall();
        Commands.runOrThrow(nft("add", "element", "inet", FIREWALL_TABLE, "blocked", "{ " + port + " }"));
    }

    public synchronized void unblockTcpPort(int port) {
        ensureFirewall();
        Commands.runOrThrow(nft("delete", "element", "inet", FIREWALL_TABLE, "blocked", "{ " + port + " }"));
    }

    private void ensureFirewall() {
        TestNetwork.portBlockingUnavailableReason().ifPresent(reason -> {
            throw new UnsupportedOperationException(reason);
        });
        if (firewallReady) {
            return;
        }
        String ruleset = "table inet " + FIREWALL_TABLE + " {\n"
                + "  set blocked { type inet_service; }\n"
                + "  chain in { type filter hook input priority 0; tcp dport @blocked drop; tcp sport @blocked drop; }\n"
                + "  chain out { type filter hook output priority 0; tcp dport @blocked drop; tcp sport @blocked drop; }\n"
                + "}\n";
        Commands.runOrThrow(List.of("ip", "netns", "exec", namespace, "nft", "-f", "-"), ruleset);
        firewallReady = true;
    }

    private List<String> nft(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "nft"));
        command.addAll(List.of(args));
        return command;
    }

    /** Stops this host's processes and whatever else still runs in the namespace, then deletes it. */
    void destroy(List<String> errors) {
        for (ManagedProcess process : processes) {
            try {
                process.kill();
                process.close();
            } catch (RuntimeException e) {
                errors.add("kill " + process + ": " + e.getMessage());
            }
        }
        TestNetwork.killAndDeleteNamespace(namespace, errors);
        TestNetwork.deleteLinkIfPresent(hostInterface, errors);
    }

    @Override
    public String toString() {
        return label + " (" + address + " in " + namespace + ")";
    }
}
