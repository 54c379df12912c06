package io.hostwatch.testkit.netns;

import org.junit.jupiter.api.Assumptions;

/** JUnit assumptions: a test that needs test hosts is skipped, with the reason, where they cannot be made. */
public final class NetnsAssumptions {
    private NetnsAssumptions() {}

    /** Skips the calling test unless this machine can create network-namespace test hosts (root, iproute2). */
    public static void assumeTestHostsAvailable() {
        TestNetwork.unavailableReason().ifPresent(reason -> Assumptions.abort("Skipped: " + reason));
    }

    /** Skips the calling test unless test hosts can also drop single TCP ports (nftables). */
    public static void assumePortBlockingAvailable() {
        assumeTestHostsAvailable();
        TestNetwork.portBlockingUnavailableReason().ifPresent(reason -> Assumptions.abort("Skipped: " + reason));
    }
}
