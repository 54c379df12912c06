package io.hostwatch.prober;

/** Which program does ICMP echo ({@code probe.icmp.tool}). */
public enum IcmpTool {
    /** fping if it runs at start-up, else ping. */
    AUTO,
    /** One fping process per batch of hosts ({@link FpingPinger}). */
    FPING,
    /** One iputils ping process per probe ({@link IcmpPinger}). */
    PING
}
