package io.hostwatch.detector.console;

import java.util.List;

/**
 * A page of the host table: {@code matched} hosts match the filter, {@code rows} are those from {@code offset}.
 *
 * @param serverTime the detector's clock when answering, so the page computes heartbeat ages without trusting the
 *                   browser's clock
 */
public record HostPage(int matched, int offset, int limit, List<HostRow> rows, long serverTime) {}
