package io.hostwatch.detector.console;

import java.util.List;

/**
 * Why the detector judged a host as it did: the verdict, the last heartbeat's facts, each prober's evidence in the
 * current probe round, the evidence combined as the classifier saw it, and the host's recent transitions (newest
 * first). Times are broker time (epoch ms), -1 when unset.
 *
 * @param phase           the detector's own work on the host: WATCHING, PROBING or SETTLED
 * @param storageSequence the storage heartbeat sequence the last network heartbeat reported (probers compare it with
 *                        the file they read)
 * @param ping            combined ping status over the probers (null without probe answers)
 * @param storage         combined storage status over the probers (null without probe answers)
 * @param selfIsolated    whether the host's storage heartbeat carries its self-isolation marker, as a prober read it
 */
public record HostDetail(
        HostRow row,
        long observedAt,
        String previousState,
        String address,
        String agentInstance,
        String serviceStatus,
        boolean storageWriteOk,
        long storageSequence,
        String phase,
        long silentSince,
        int probeAttempt,
        String ping,
        String storage,
        Boolean selfIsolated,
        List<ProberView> probers,
        List<TimelineEntry> timeline,
        long serverTime) {}
