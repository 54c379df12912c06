/**
 * Test hosts as Linux network namespaces, for integration tests, benchmarks and the demo.
 *
 * <ul>
 *   <li>{@link io.hostwatch.testkit.netns.TestNetwork#create(int)} claims a block of a test subnet pool
 *       (198.18.0.0/15, override with {@code -Dhostwatch.testnet.pool} / {@code HOSTWATCH_TESTNET_POOL}) after
 *       proving it collides with no address or route of the machine ({@link
 *       io.hostwatch.testkit.netns.SubnetCollisionException} otherwise), adds a {@code blackhole} route over the
 *       block and a service address on {@code lo} reachable from every host of the network.</li>
 *   <li>{@link io.hostwatch.testkit.netns.TestNetwork#addHost(String)} makes a namespace with a veth pair and a /30:
 *       {@link io.hostwatch.testkit.netns.TestHost#address()} (namespace side, .2) is what a prober pings,
 *       {@link io.hostwatch.testkit.netns.TestHost#gatewayAddress()} (machine side, .1) and
 *       {@link io.hostwatch.testkit.netns.TestNetwork#serviceAddress()} are how processes inside reach services
 *       on this machine. No default route inside: nothing started in a test host can reach anything else.</li>
 *   <li>Faults: {@link io.hostwatch.testkit.netns.TestHost#linkDown()} / {@code linkUp()} (inside the namespace
 *       only), {@link io.hostwatch.testkit.netns.TestHost#blockTcpPort(int)} / {@code unblockTcpPort} (nftables),
 *       {@link io.hostwatch.local.ManagedProcess#kill()} (SIGKILL of the process and its descendants).</li>
 *   <li>Processes: {@link io.hostwatch.testkit.netns.TestHost#start} ({@code ip netns exec}, log file, stdin kept
 *       as a pipe) and {@link io.hostwatch.testkit.netns.TestHost#exec} (run to completion).</li>
 *   <li>Cleanup: {@code close()}, a shutdown hook, and a sweep of leftovers of dead JVMs on every {@code create}.
 *       {@link io.hostwatch.testkit.netns.TestNetwork#resourcesOwnedByThisJvm()} lets a test assert nothing is
 *       left.</li>
 *   <li>Skipping: {@link io.hostwatch.testkit.ExternalTools#requireTestHosts()} and
 *       {@link io.hostwatch.testkit.ExternalTools#requirePortBlocking()} abort a test with the reason (not root,
 *       no {@code ip}, no {@code nft} on the PATH), or fail it under {@code HOSTWATCH_REQUIRE_EXTERNAL_TOOLS=1}.</li>
 * </ul>
 */
package io.hostwatch.testkit.netns;
