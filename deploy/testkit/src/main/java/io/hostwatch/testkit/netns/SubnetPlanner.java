package io.hostwatch.testkit.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the block of addresses one {@link TestNetwork} may use. The pool (198.18.0.0/15, the benchmarking
 * range, unless overridden) must not overlap any address or route of the machine that the harness did not make
 * itself: if it does, the harness refuses to run rather than shadow a real network. Inside the pool, blocks already
 * claimed by other live harness instances (their {@code blackhole ... proto 231} routes) are skipped, so test JVMs
 * running side by side never share addresses.
 */
public final class SubnetPlanner {
    /** Routing protocol number the harness tags its blackhole routes with, to recognise them later. */
    public static final String HARNESS_PROTOCOL = "231";

    public static final Ipv4Prefix DEFAULT_POOL = Ipv4Prefix.parse("198.18.0.0/15");

    private SubnetPlanner() {}

    /** Blackhole routes that mark blocks claimed by a harness (this one or another JVM's). */
    public static List<IpInventory.Route> harnessBlocks(IpInventory inventory) {
        return inventory.routes().stream()
                .filter(r -> "blackhole".equals(r.type()) && HARNESS_PROTOCOL.equals(r.protocol()))
                .toList();
    }

    /**
     * @param blockLength prefix length of the block to claim, e.g. 24 for up to 63 hosts
     * @throws SubnetCollisionException if the pool overlaps a foreign network or no block is free
     */
    public static Ipv4Prefix choose(Ipv4Prefix pool, int blockLength, IpInventory inventory) {
        if (blockLength < pool.length() || blockLength > 29) {
            throw new IllegalArgumentException("block /" + blockLength + " does not fit pool " + pool);
        }
        List<Ipv4Prefix> claimed = harnessBlocks(inventory).stream()
                .map(IpInventory.Route::destination)
                .toList();
        List<String> collisions = new ArrayList<>();
        for (IpInventory.Route route : inventory.routes()) {
            Ipv4Prefix destination = route.destination();
            boolean harnessOwned = claimed.stream().anyMatch(block -> block.contains(destination));
            // the default route overlaps everything and is no collision: our /30s are more specific
            if (destination.length() > 0 && !harnessOwned && destination.overlaps(pool)) {
                collisions.add("route '" + route.line().trim() + "'");
            }
        }
        for (IpInventory.Address address : inventory.addresses()) {
            boolean harnessOwned = claimed.stream().anyMatch(block -> block.contains(address.network()));
            if (!harnessOwned && address.network().overlaps(pool)) {
                collisions.add("address " + address.network() + " on " + address.device());
            }
        }
        if (!collisions.isEmpty()) {
            throw new SubnetCollisionException("Test subnet pool " + pool + " collides with this machine's "
                    + String.join(", ", collisions) + ". Refusing to create test hosts; choose a free range with "
                    + "-D" + TestNetwork.POOL_PROPERTY + "=a.b.c.d/n or env " + TestNetwork.POOL_ENV + ".");
        }
        long blocks = 1L << (blockLength - pool.length());
        for (long i = 0; i < blocks; i++) {
            Ipv4Prefix candidate = pool.subnet(blockLength, i);
            if (claimed.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        throw new SubnetCollisionException("Every /" + blockLength + " of test subnet pool " + pool
                + " is claimed by another running test network (" + claimed.size() + " blocks)");
    }
}
