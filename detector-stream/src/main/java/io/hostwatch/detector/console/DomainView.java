package io.hostwatch.detector.console;

/**
 * A failure domain for the console: its hosts as the host table counts them, and the mass-failure guard's own
 * totals and decision ({@code known}/{@code silent} count only recently silent hosts, see the detector README).
 */
public record DomainView(String domain, int hosts, int notRunning, int known, int silent, boolean holding) {}
