package io.hostwatch.testkit.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test hosts as Linux network namespaces on this machine (iproute2, root only). One network claims a block of a
 * test subnet pool that collides with nothing the machine uses (checked against {@code ip -4 addr} and
 * {@code ip route}; on a collision it refuses to run), gives each {@link TestHost} a /30 of it (machine side .1,
 * namespace side .2), and for its whole lifetime holds a {@code blackhole} route over the block, so a packet for a
 * test address whose link is gone is dropped here instead of leaving the machine by the default route.
 *
 * <p>Everything it makes carries the prefix {@code hwt} and this JVM's pid (base 36): namespaces
 * {@code hwt-<pid>-<n>}, veths {@code hwt<pid>-<n>}, the loopback label {@code lo:hwt<pid>-<n>}, and the
 * blackhole route is tagged {@code proto 231 metric <pid>}. {@link #close()} removes it all (processes first, the
 * blackhole route last), so does a shutdown hook, and every {@link #create} first sweeps leftovers whose owning JVM
 * is dead (e.g. one that failsafe killed). Creation is serialised across JVMs by a file lock.
 *
 * <pre>{@code
 * ExternalTools.system().requireTestHosts(); // skips the test where test hosts cannot be made
 * try (TestNetwork network = TestNetwork.create()) {
 *     TestHost host = network.addHost("compute-1");
 *     ... ping host.address() ...
 *     host.linkDown();
 * }
 * }</pre>
 */
public final class TestNetwork implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TestNetwork.class);

    public static final String NAME_PREFIX = "hwt";
    public static final String POOL_PROPERTY = "hostwatch.testnet.pool";
    public static final String POOL_ENV = "HOSTWATCH_TESTNET_POOL";
    public static final int DEFAULT_MAX_HOSTS = 63;

    private static final Pattern NAMESPACE = Pattern.compile("hwt-([0-9a-z]+)-([0-9a-z]+)");
    private static final Pattern LINK = Pattern.compile("hwt([0-9a-z]+)-([0-9a-z]+)");
    private static final Pattern LABEL = Pattern.compile("lo:hwt([0-9a-z]+)-([0-9a-z]+)");
    private static final long PID = ProcessHandle.current().pid();
    private static final String OWNER = Long.toString(PID, 36);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Names this JVM made and still uses: a sweep never touches them, even though their owner pid is alive. */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    private static final Object CREATE_LOCK = new Object();
    private static final Path LOCK_FILE =
            Path.of(Files.isDirectory(Path.of("/run")) ? "/run" : "/tmp", "hostwatch-testnet.lock");
    private static volatile Optional<String> portBlockingUnavailable;

    private final Ipv4Prefix block;
    private final String serviceAddress;
    private final String serviceLabel;
    private final int maxHosts;
    private final List<TestHost> hosts = new ArrayList<>();
    /** Offset in the block from which addresses are routed to a host by {@link #spareAddressesVia}: no slot there. */
    private long spareFloor = Long.MAX_VALUE;

    private final Thread shutdownHook;
    private boolean closed;

    private TestNetwork(Ipv4Prefix block, String serviceAddress, String serviceLabel, int maxHosts) {
        this.block = block;
        this.serviceAddress = serviceAddress;
        this.serviceLabel = serviceLabel;
        this.maxHosts = maxHosts;
        this.shutdownHook = new Thread(this::closeQuietly, "testnet-cleanup-" + block);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Why test hosts cannot be made here (not Linux, not root, no {@code ip}, no netns support), or empty if they
     * can. Tests do not use this: they call {@link io.hostwatch.testkit.ExternalTools#requireTestHosts()}, which
     * skips them (or fails them where tools are required).
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("test hosts need Linux network namespaces; this is " + System.getProperty("os.name"));
        }
        Optional<Integer> uid = effectiveUid();
        if (uid.isEmpty() || uid.get() != 0) {
            return Optional.of("test hosts need root (CAP_NET_ADMIN) to create network namespaces; running as uid "
                    + uid.map(String::valueOf).orElse("unknown"));
        }
        if (!Commands.works(List.of("ip", "-V"))) {
            return Optional.of("iproute2's 'ip' command is not installed (apt-get install -y iproute2)");
        }
        if (!Commands.works(List.of("ip", "netns", "list"))) {
            return Optional.of("'ip netns list' fails: network namespaces are not usable here");
        }
        return Optional.empty();
    }

    /** Why {@link TestHost#blockTcpPort} cannot work here ({@code nft} missing), or empty if it can. */
    public static Optional<String> portBlockingUnavailableReason() {
        Optional<String> cached = portBlockingUnavailable;
        if (cached == null) {
            cached = Commands.works(List.of("nft", "--version"))
                    ? Optional.empty()
                    : Optional.of("nftables' 'nft' command is not installed (apt-get install -y nftables): "
                            + "cannot drop single ports inside test hosts");
            portBlockingUnavailable = cached;
        }
        return cached;
    }

    /** A network for up to {@value #DEFAULT_MAX_HOSTS} hosts (a /24). */
    public static TestNetwork create() {
        return create(DEFAULT_MAX_HOSTS);
    }

    /**
     * @throws SubnetCollisionException if the pool overlaps one of the machine's networks or is used up
     * @throws IllegalStateException    if test hosts are unavailable here (see {@link #unavailableReason()})
     */
    public static TestNetwork create(int maxHosts) {
        if (maxHosts < 1) {
            throw new IllegalArgumentException("maxHosts must be >= 1, was " + maxHosts);
        }
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("Cannot create test hosts: " + reason);
        });
        Ipv4Prefix pool = pool();
        // one /30 per host plus one for the service address
        int blockLength = 32 - (64 - Long.numberOfLeadingZeros((maxHosts + 1L) * 4 - 1));
        synchronized (CREATE_LOCK) {
            try (FileChannel channel =
                            FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                sweepLeftovers();
                Ipv4Prefix block = SubnetPlanner.choose(pool, blockLength, inventory());
                String index = Integer.toString(SEQUENCE.incrementAndGet(), 36);
                String label = "lo:" + NAME_PREFIX + OWNER + "-" + index;
                String serviceAddress = block.addressAt(1);
                LIVE.add(block.toString());
                LIVE.add(label);
                Commands.runOrThrow(List.of(
                        "ip",
                        "route",
                        "add",
                        "blackhole",
                        block.toString(),
                        "proto",
                        SubnetPlanner.HARNESS_PROTOCOL,
                        "metric",
                        Long.toString(PID)));
                TestNetwork network =
                        new TestNetwork(block, serviceAddress, label, (int) Math.min(maxHosts, block.size() / 4 - 1));
                try {
                    Commands.runOrThrow(
                            List.of("ip", "addr", "add", serviceAddress + "/32", "dev", "lo", "label", label));
                } catch (RuntimeException e) {
                    network.closeQuietly();
                    throw e;
                }
                LOG.info("Test network {} created (blackhole route, service address {} on lo)", block, serviceAddress);
                return network;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock " + LOCK_FILE, e);
            }
        }
    }

    /** The block of addresses this network owns. */
    public Ipv4Prefix subnet() {
        return block;
    }

    /**
     * An address of this machine (on loopback) that every test host of this network can reach: bind a broker or
     * other service to it (or to 0.0.0.0) and advertise it to processes inside test hosts.
     */
    public String serviceAddress() {
        return serviceAddress;
    }

    public synchronized List<TestHost> hosts() {
        return List.copyOf(hosts);
    }

    /** Creates a namespace with a veth pair and its own /30, link up, loopback up, route to the service address. */
    public synchronized TestHost addHost(String label) {
        if (closed) {
            throw new IllegalStateException("test network " + block + " is closed");
        }
        int slot = hosts.size() + 1;
        if ((slot + 1L) * 4 > spareFloor) {
            throw new IllegalStateException("test network " + block + " has routed its spare addresses to a host: no "
                    + "room for another host");
        }
        if (slot > maxHosts) {
            throw new IllegalStateException("test network " + block + " holds at most " + maxHosts + " hosts");
        }
        String index = Integer.toString(SEQUENCE.incrementAndGet(), 36);
        String namespace = NAME_PREFIX + "-" + OWNER + "-" + index;
        String veth = NAME_PREFIX + OWNER + "-" + index;
        Ipv4Prefix link = block.subnet(30, slot);
        String gateway = link.addressAt(1);
        String address = link.addressAt(2);
        LIVE.add(namespace);
        LIVE.add(veth);
        TestHost host = new TestHost(label, namespace, veth, address, gateway, serviceAddress);
        try {
            Commands.runOrThrow(List.of("ip", "netns", "add", namespace));
            Commands.runOrThrow(List.of(
                    "ip", "link", "add", veth, "type", "veth", "peer", "name", TestHost.INTERFACE, "netns", namespace));
            Commands.runOrThrow(List.of("ip", "addr", "add", gateway + "/30", "dev", veth));
            Commands.runOrThrow(List.of("ip", "link", "set", veth, "up"));
            Commands.runOrThrow(
                    List.of("ip", "-n", namespace, "addr", "add", address + "/30", "dev", TestHost.INTERFACE));
            Commands.runOrThrow(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
            Commands.runOrThrow(List.of("ip", "-n", namespace, "link", "set", TestHost.INTERFACE, "up"));
            Commands.runOrThrow(List.of(
                    "ip",
                    "-n",
                    namespace,
                    "route",
                    "add",
                    serviceAddress + "/32",
                    "via",
                    gateway,
                    "dev",
                    TestHost.INTERFACE));
        } catch (RuntimeException e) {
            List<String> errors = new ArrayList<>();
            host.destroy(errors);
            LIVE.remove(namespace);
            LIVE.remove(veth);
            errors.forEach(error -> LOG.warn("Cleaning up half-made test host {}: {}", namespace, error));
            throw e;
        }
        hosts.add(host);
        LOG.info(
                "Test host {} created: {} in namespace {} (machine side {} on {})",
                label,
                address,
                namespace,
                gateway,
                veth);
        return host;
    }

    /**
     * At least {@code count} addresses of this network's block that belong to no test host, all routed to {@code
     * host}: the host neither owns nor forwards them, so pinging any of them is silent, as with a rack of dead
     * machines, and (with the host's link down) nothing answers at all. They are the last power-of-two prefix of the
     * block, so the block must have room: {@link #create(int)} with enough hosts (e.g. 300 for 1,000 addresses). The
     * route goes with the host's veth when the network is closed. Every address stays inside the block, whose
     * blackhole route keeps it on this machine.
     */
    public synchronized List<String> spareAddressesVia(TestHost host, int count) {
        if (!hosts.contains(host)) {
            throw new IllegalArgumentException(host + " is not a host of test network " + block);
        }
        int length = 32 - (64 - Long.numberOfLeadingZeros(Math.max(1L, count) - 1));
        Ipv4Prefix spare = block.subnet(length, (block.size() >> (32 - length)) - 1);
        long start = block.size() - spare.size();
        if ((hosts.size() + 1L) * 4 > start || start == 0) {
            throw new IllegalStateException("test network " + block + " has no room for " + count + " spare "
                    + "addresses after its " + hosts.size() + " host(s): create it with more hosts");
        }
        Commands.runOrThrow(List.of(
                "ip",
                "route",
                "add",
                spare.toString(),
                "via",
                host.address(),
                "dev",
                host.hostInterface(),
                "proto",
                SubnetPlanner.HARNESS_PROTOCOL));
        spareFloor = Math.min(spareFloor, start);
        LOG.info("Spare addresses {} of test network {} routed to {}", spare, block, host);
        List<String> addresses = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            addresses.add(spare.addressAt(i));
        }
        return addresses;
    }

    /**
     * Kills every process in every test host, deletes the namespaces (and with them the veths), the service
     * address and, last, the blackhole route. Throws if something could not be removed, after trying everything.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> errors = new ArrayList<>();
        for (TestHost host : hosts) {
            host.destroy(errors);
            LIVE.remove(host.namespace());
            LIVE.remove(host.hostInterface());
        }
        CommandResult address = Commands.run(List.of("ip", "addr", "del", serviceAddress + "/32", "dev", "lo"));
        if (!address.ok() && !address.stderr().contains("Cannot assign")) {
            errors.add("delete service address " + serviceAddress + ": "
                    + address.stderr().trim());
        }
        LIVE.remove(serviceLabel);
        CommandResult route = Commands.run(List.of(
                "ip",
                "route",
                "del",
                "blackhole",
                block.toString(),
                "proto",
                SubnetPlanner.HARNESS_PROTOCOL,
                "metric",
                Long.toString(PID)));
        if (!route.ok()) {
            errors.add("delete blackhole route " + block + ": " + route.stderr().trim());
        }
        LIVE.remove(block.toString());
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook running
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Test network " + block + " left things behind: " + errors);
        }
        LOG.info("Test network {} removed ({} hosts)", block, hosts.size());
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.error("Cleaning up test network {}: {}", block, e.getMessage());
        }
    }

    /**
     * Names of the namespaces, links, loopback labels and blackhole routes on this machine that carry this JVM's
     * pid: after every network is closed it must be empty.
     */
    public static List<String> resourcesOwnedByThisJvm() {
        List<String> owned = new ArrayList<>();
        for (String namespace : namespaces()) {
            owner(NAMESPACE, namespace).filter(pid -> pid == PID).ifPresent(pid -> owned.add("netns " + namespace));
        }
        for (String link : links()) {
            owner(LINK, link).filter(pid -> pid == PID).ifPresent(pid -> owned.add("link " + link));
        }
        IpInventory inventory = inventory();
        for (IpInventory.Address address : inventory.addresses()) {
            owner(LABEL, address.label())
                    .filter(pid -> pid == PID)
                    .ifPresent(pid -> owned.add("address " + address.address() + " " + address.label()));
        }
        for (IpInventory.Route route : SubnetPlanner.harnessBlocks(inventory)) {
            if (route.metric() == PID) {
                owned.add("route blackhole " + route.destination());
            }
        }
        return owned;
    }

    /** Removes what dead JVMs (or an earlier JVM with this pid) left behind. Callers hold the creation lock. */
    static void sweepLeftovers() {
        List<String> errors = new ArrayList<>();
        for (String namespace : namespaces()) {
            if (owner(NAMESPACE, namespace)
                    .filter(pid -> isLeftover(pid, namespace))
                    .isPresent()) {
                LOG.warn("Removing leftover test namespace {}", namespace);
                killAndDeleteNamespace(namespace, errors);
            }
        }
        for (String link : links()) {
            if (owner(LINK, link).filter(pid -> isLeftover(pid, link)).isPresent()) {
                LOG.warn("Removing leftover test link {}", link);
                deleteLinkIfPresent(link, errors);
            }
        }
        IpInventory inventory = inventory();
        for (IpInventory.Address address : inventory.addresses()) {
            if (owner(LABEL, address.label())
                    .filter(pid -> isLeftover(pid, address.label()))
                    .isPresent()) {
                LOG.warn("Removing leftover test address {} ({})", address.address(), address.label());
                CommandResult result =
                        Commands.run(List.of("ip", "addr", "del", address.address() + "/32", "dev", address.device()));
                if (!result.ok()) {
                    errors.add("delete " + address.address() + ": "
                            + result.stderr().trim());
                }
            }
        }
        for (IpInventory.Route route : SubnetPlanner.harnessBlocks(inventory)) {
            if (isLeftover(route.metric(), route.destination().toString())) {
                LOG.warn(
                        "Removing leftover test blackhole route {} (owner pid {})",
                        route.destination(),
                        route.metric());
                CommandResult result = Commands.run(List.of(
                        "ip",
                        "route",
                        "del",
                        "blackhole",
                        route.destination().toString(),
                        "proto",
                        SubnetPlanner.HARNESS_PROTOCOL,
                        "metric",
                        Long.toString(route.metric())));
                if (!result.ok()) {
                    errors.add("delete route " + route.destination() + ": "
                            + result.stderr().trim());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Could not sweep leftover test hosts: " + errors);
        }
    }

    private static boolean isLeftover(long ownerPid, String name) {
        if (ownerPid == PID) {
            return !LIVE.contains(name);
        }
        return !ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Optional<Long> owner(Pattern pattern, String name) {
        Matcher matcher = pattern.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(matcher.group(1), 36));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void killAndDeleteNamespace(String namespace, List<String> errors) {
        if (!namespaces().contains(namespace)) {
            return;
        }
        CommandResult pids = Commands.run(List.of("ip", "netns", "pids", namespace));
        for (String line : pids.stdout().split("\n")) {
            if (!line.isBlank()) {
                try {
                    ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
                } catch (NumberFormatException e) {
                    errors.add("unexpected 'ip netns pids' output: " + line);
                }
            }
        }
        CommandResult result = Commands.run(List.of("ip", "netns", "del", namespace));
        if (!result.ok()) {
            errors.add("delete namespace " + namespace + ": " + result.stderr().trim());
        }
    }

    static void deleteLinkIfPresent(String link, List<String> errors) {
        if (!links().contains(link)) {
            return; // deleting the namespace removed both ends of the pair
        }
        CommandResult result = Commands.run(List.of("ip", "link", "del", link));
        if (!result.ok() && links().contains(link)) {
            errors.add("delete link " + link + ": " + result.stderr().trim());
        }
    }

    private static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line :
                Commands.runOrThrow(List.of("ip", "netns", "list")).stdout().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        return names;
    }

    private static List<String> links() {
        List<String> names = new ArrayList<>();
        for (String line : Commands.runOrThrow(List.of("ip", "-o", "link", "show"))
                .stdout()
                .split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length >= 2) {
                names.add(parts[1].split("@")[0].trim());
            }
        }
        return names;
    }

    private static IpInventory inventory() {
        return IpInventory.parse(
                Commands.runOrThrow(List.of("ip", "-4", "route", "show", "table", "all"))
                        .stdout(),
                Commands.runOrThrow(List.of("ip", "-4", "-o", "addr", "show")).stdout());
    }

    private static Ipv4Prefix pool() {
        String configured = System.getProperty(POOL_PROPERTY, System.getenv(POOL_ENV));
        return configured == null || configured.isBlank() ? SubnetPlanner.DEFAULT_POOL : Ipv4Prefix.parse(configured);
    }

    private static Optional<Integer> effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Integer.parseInt(line.substring(4).trim().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "TestNetwork " + block;
    }
}
