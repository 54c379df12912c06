package io.hostwatch.detector.console;

import java.util.List;
import java.util.Map;

/**
 * The console's header: hosts per state (plus {@value HostRow#DEGRADED}), the total, and every detector
 * instance's health. {@code healthy} is false when any instance is not RUNNING, is stale or did not answer: the
 * page then shows its banner.
 */
public record Summary(
        Map<String, Integer> counts, int total, List<InstanceStatus> instances, boolean healthy, long serverTime) {}
