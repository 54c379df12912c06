package io.hostwatch.detector;

import io.hostwatch.schema.Evidence;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StateReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * contract section 5 for one host, as pure functions of (record, input, stream time): no Kafka, no clock. Every
 * timestamp is the event time the caller passes (a record's broker timestamp, or the due time of the host's own
 * timer), so feeding the same records in the same order gives the same outputs: that is what makes replay exact.
 *
 * <p>Time line of a silence: mass.failure.lead before its heartbeat.timeout a WATCHING host is counted as silent by
 * the mass-failure guard (so that hosts failing up to an interval after it are counted by the time it is
 * classified); at the timeout it becomes PROBING (SUSPECT), a ProbeRequest goes out and the timer becomes
 * probe.timeout later (re-probe, up to probe.attempts, then UNKNOWN/PROBE_TIMEOUT). Results are merged per prober as
 * they arrive and classified with {@link Classifier}. A verdict that allows evacuation, and an inconclusive one, waits
 * for probe.quorum distinct probers or probe.collect.ms after the first result, also when that first result arrives
 * after the host settled (an evacuating verdict is held while the guard holds); any other verdict is published at
 * once. A prober's newer answer replaces its older one except for parts it could not see this time.
 * Later results of the current probe round still count, so a ping OK arriving after a DEAD turns it into a live
 * state; a new round (a held or UNKNOWN host probed again) starts from no evidence. Any heartbeat ends the silence.
 */
final class HostStateMachine {
    /** What a step produces besides the changed record. */
    interface Effects {
        void probe(ProbeRequest request);

        void publish(HostState state, HostStatus previous);

        void domainDelta(String domain, DomainDelta delta);
    }

    private final DetectionSettings settings;
    private final String detectorVersion;

    HostStateMachine(DetectionSettings settings, String detectorVersion) {
        this.settings = settings;
        this.detectorVersion = detectorVersion;
    }

    /** A heartbeat with broker time {@code ts}; {@code record} is null for a host never seen. */
    HostRecord onHeartbeat(String host, HostRecord record, Heartbeat heartbeat, long ts, Effects effects) {
        HostRecord r = record == null ? new HostRecord() : record;
        if (r.lastHeartbeatAt != HostRecord.UNSET && ts < r.lastHeartbeatAt) {
            return r;
        }
        boolean restarted = r.verdict != null && !r.agentInstance.equals(heartbeat.getAgentInstance());
        r.address = heartbeat.getAddress();
        r.agentInstance = heartbeat.getAgentInstance();
        r.failureDomain = heartbeat.getFailureDomain();
        r.lastHeartbeatAt = ts;
        r.heartbeatSequence = heartbeat.getSequence();
        r.heartbeatSentAt = heartbeat.getSentAt().toEpochMilli();
        r.storageSequence = heartbeat.getStorageSequence();
        r.storageWriteOk = heartbeat.getStorageWriteOk();
        r.serviceStatus = heartbeat.getServiceStatus();
        r.phase = Phase.WATCHING;
        r.attempt = 0;
        r.roundStartAttempt = 0;
        r.silentSince = HostRecord.UNSET;
        r.lastProbeAt = HostRecord.UNSET;
        r.firstResultAt = HostRecord.UNSET;
        r.evidence.clear();
        setGuard(r, GuardCount.LIVE, effects);

        Set<HostCondition> conditions = r.storageWriteOk ? Set.of() : Set.of(HostCondition.STORAGE_DEGRADED);
        Verdict current = r.verdict;
        HostStatus state;
        StateReason reason;
        if (r.serviceStatus == ServiceStatus.DOWN) {
            state = HostStatus.SERVICE_UNREACHABLE;
            reason = StateReason.SERVICE_REPORTED_DOWN;
        } else {
            state = HostStatus.RUNNING;
            if (!r.storageWriteOk) {
                reason = StateReason.STORAGE_WRITE_FAILING;
            } else if (current == null) {
                reason = StateReason.HEARTBEATING;
            } else if (current.state() != HostStatus.RUNNING || current.reason() == StateReason.STORAGE_WRITE_FAILING) {
                reason = StateReason.RECOVERED;
            } else if (restarted) {
                reason = StateReason.AGENT_RESTARTED;
            } else {
                reason = current.reason();
            }
        }
        // every restart is an event, also a second one while the last event still says AGENT_RESTARTED
        publish(host, r, state, reason, conditions, ts, reason == StateReason.AGENT_RESTARTED && restarted, effects);
        r.timerAt = ts + settings.heartbeatTimeoutMs() - settings.massFailureLeadMs();
        return r;
    }

    /**
     * A prober's answer. Ignored (false) unless it answers a request of the host's current probe round; answers to
     * a silence that a heartbeat already ended, to an earlier round, or to an older attempt than the one already held
     * for that prober, change nothing.
     */
    boolean onProbeResult(String host, HostRecord r, ProbeResult result, long ts, DomainGuard guard, Effects effects) {
        if (r == null || !r.silent() || !host.equals(result.getHost())) {
            return false;
        }
        int attempt = RequestIds.attemptOf(result.getRequestId(), host, r.lastHeartbeatAt);
        if (attempt < r.roundStartAttempt || attempt < 1 || attempt > r.attempt) {
            return false;
        }
        int existing = -1;
        for (int i = 0; i < r.evidence.size(); i++) {
            if (r.evidence.get(i).prober().equals(result.getProber())) {
                existing = i;
                break;
            }
        }
        if (existing >= 0 && r.evidence.get(existing).attempt() > attempt) {
            return false;
        }
        ProberEvidence evidence =
                new ProberEvidence(result.getProber(), attempt, ts, result.getPing(), result.getStorage());
        if (existing >= 0) {
            r.evidence.set(existing, r.evidence.get(existing).updatedBy(evidence));
        } else {
            r.evidence.add(evidence);
        }
        if (r.firstResultAt == HostRecord.UNSET) {
            r.firstResultAt = ts;
        }
        decide(host, r, ts, guard, effects);
        return true;
    }

    /** The host's timer fired at its due time {@code now}. */
    void onTimer(String host, HostRecord r, long now, DomainGuard guard, long stallEndedAt, Effects effects) {
        switch (r.phase) {
            case WATCHING:
                long silentAt = r.lastHeartbeatAt + settings.heartbeatTimeoutMs();
                if (stallEndedAt != HostRecord.UNSET && r.lastHeartbeatAt < stallEndedAt) {
                    // the pipeline, not the host, was silent: give it a full timeout after the pipeline resumed
                    silentAt = Math.max(silentAt, stallEndedAt + settings.heartbeatTimeoutMs());
                }
                if (now < silentAt) {
                    long countAt = silentAt - settings.massFailureLeadMs();
                    // LIVE again for a host counted before a pipeline stall: the stall, not the host, was silent
                    setGuard(r, now >= countAt ? GuardCount.SILENT : GuardCount.LIVE, effects);
                    r.timerAt = now < countAt ? countAt : silentAt;
                    return;
                }
                r.phase = Phase.PROBING;
                r.silentSince = now;
                r.attempt = 1;
                r.roundStartAttempt = 1;
                r.firstResultAt = HostRecord.UNSET;
                r.evidence.clear();
                setGuard(r, GuardCount.SILENT, effects);
                sendProbe(host, r, now, effects);
                return;
            case PROBING:
                if (r.firstResultAt != HostRecord.UNSET) {
                    decide(host, r, now, guard, effects);
                } else if (r.attempt - r.roundStartAttempt + 1 < settings.probeAttempts()) {
                    r.attempt++;
                    sendProbe(host, r, now, effects);
                } else {
                    settle(host, r, HostStatus.UNKNOWN, StateReason.PROBE_TIMEOUT, Set.of(), now, effects);
                }
                return;
            case SETTLED:
            default:
                if (held(r)) {
                    if (guard.holding(r.domain())) {
                        r.timerAt = now + settings.massFailureRecheckMs();
                    } else {
                        startRound(host, r, now, effects);
                    }
                    return;
                }
                if (r.verdict.state() == HostStatus.UNKNOWN
                        && settings.unknownReprobeMs() > 0
                        && now >= r.lastProbeAt + settings.unknownReprobeMs()) {
                    startRound(host, r, now, effects);
                    return;
                }
                updateSettledGuardAndTimer(r, now, effects);
        }
    }

    /** The HostState that describes the record now: what was published, with the evidence held now. */
    HostState toHostState(String host, HostRecord r) {
        Verdict v = r.verdict;
        Classifier.Combined combined = Classifier.combine(r.evidence);
        List<HostCondition> conditions = new ArrayList<>(v.conditions());
        Collections.sort(conditions);
        Evidence evidence = new Evidence(
                r.lastHeartbeatAt == HostRecord.UNSET ? null : Instant.ofEpochMilli(r.lastHeartbeatAt),
                combined.ping(),
                combined.storage(),
                new ArrayList<>(combined.probers()));
        return new HostState(
                host,
                v.state(),
                v.reason(),
                conditions,
                Instant.ofEpochMilli(v.since()),
                Instant.ofEpochMilli(v.observedAt()),
                v.previousState(),
                evidence,
                detectorVersion);
    }

    private void decide(String host, HostRecord r, long now, DomainGuard guard, Effects effects) {
        Classifier.Classification c = Classifier.classify(Classifier.combine(r.evidence));
        HostStatus state = c.state();
        StateReason reason = c.reason();
        Set<HostCondition> conditions = c.conditions();
        // an inconclusive first answer is usually one prober's own trouble: give the others the same window
        if (Verdict.allowsEvacuation(state) || state == HostStatus.UNKNOWN) {
            long collectEnd = r.firstResultAt + settings.probeCollectMs();
            if (r.evidence.size() < settings.probeQuorum() && now < collectEnd) {
                // also for a host that had settled (e.g. PROBE_TIMEOUT) and now hears its first late answer: one
                // vantage point alone must not make it DEAD before the others had the same window
                r.phase = Phase.PROBING;
                r.timerAt = collectEnd;
                return;
            }
        }
        if (Verdict.allowsEvacuation(state) && guard.holding(r.domain())) {
            state = HostStatus.UNKNOWN;
            reason = StateReason.MASS_FAILURE_SUSPECTED;
            conditions = Set.of();
        }
        settle(host, r, state, reason, conditions, now, effects);
    }

    private void settle(
            String host,
            HostRecord r,
            HostStatus state,
            StateReason reason,
            Set<HostCondition> conditions,
            long now,
            Effects effects) {
        r.phase = Phase.SETTLED;
        publish(host, r, state, reason, conditions, now, effects);
        updateSettledGuardAndTimer(r, now, effects);
    }

    /**
     * A settled host stays counted as silent for one heartbeat timeout after its silence began (silences within
     * one timeout count together, contract section 5), and for as long as the guard holds it.
     */
    private void updateSettledGuardAndTimer(HostRecord r, long now, Effects effects) {
        boolean held = held(r);
        long lingerEnd = r.silentSince + settings.heartbeatTimeoutMs();
        setGuard(r, held || now < lingerEnd ? GuardCount.SILENT : GuardCount.NONE, effects);
        long timer = HostRecord.UNSET;
        if (held) {
            timer = now + settings.massFailureRecheckMs();
        } else {
            if (r.guardCount == GuardCount.SILENT) {
                timer = lingerEnd;
            }
            if (r.verdict.state() == HostStatus.UNKNOWN && settings.unknownReprobeMs() > 0) {
                long reprobe = Math.max(now + 1, r.lastProbeAt + settings.unknownReprobeMs());
                timer = timer == HostRecord.UNSET ? reprobe : Math.min(timer, reprobe);
            }
        }
        r.timerAt = timer;
    }

    /**
     * A new round for a held or UNKNOWN host starts from no evidence: answers of the earlier round describe the host
     * as it was then, and mixed with this round's they would fill the quorum, or pair an old STALE with a new FAILED
     * into a DEAD that no single round saw.
     */
    private void startRound(String host, HostRecord r, long now, Effects effects) {
        r.phase = Phase.PROBING;
        r.attempt++;
        r.roundStartAttempt = r.attempt;
        r.firstResultAt = HostRecord.UNSET;
        r.evidence.clear();
        setGuard(r, GuardCount.SILENT, effects);
        sendProbe(host, r, now, effects);
    }

    private void sendProbe(String host, HostRecord r, long now, Effects effects) {
        r.lastProbeAt = now;
        r.timerAt = now + settings.probeTimeoutMs();
        effects.probe(new ProbeRequest(
                RequestIds.of(host, r.lastHeartbeatAt, r.attempt),
                host,
                r.address,
                r.attempt,
                Instant.ofEpochMilli(r.lastHeartbeatAt),
                r.storageSequence,
                Instant.ofEpochMilli(now)));
    }

    private void publish(
            String host,
            HostRecord r,
            HostStatus state,
            StateReason reason,
            Set<HostCondition> conditions,
            long now,
            Effects effects) {
        publish(host, r, state, reason, conditions, now, false, effects);
    }

    private void publish(
            String host,
            HostRecord r,
            HostStatus state,
            StateReason reason,
            Set<HostCondition> conditions,
            long now,
            boolean evenIfUnchanged,
            Effects effects) {
        Verdict old = r.verdict;
        if (old != null && !evenIfUnchanged && old.sameAs(state, reason, conditions)) {
            return;
        }
        long since = old != null && old.state() == state ? old.since() : now;
        r.verdict = new Verdict(
                state,
                reason,
                conditions.isEmpty() ? Set.of() : EnumSet.copyOf(conditions),
                since,
                now,
                old == null ? null : old.state());
        effects.publish(toHostState(host, r), old == null ? null : old.state());
    }

    private static boolean held(HostRecord r) {
        return r.verdict != null && r.verdict.reason() == StateReason.MASS_FAILURE_SUSPECTED;
    }

    private static void setGuard(HostRecord r, GuardCount count, Effects effects) {
        String domain = count == GuardCount.NONE ? null : r.domain();
        if (r.guardCount == count && Objects.equals(r.guardDomain, domain)) {
            return;
        }
        if (r.guardDomain != null && r.guardDomain.equals(domain)) {
            effects.domainDelta(
                    domain, new DomainDelta(count.known - r.guardCount.known, count.silent - r.guardCount.silent));
        } else {
            if (r.guardCount != GuardCount.NONE) {
                effects.domainDelta(r.guardDomain, new DomainDelta(-r.guardCount.known, -r.guardCount.silent));
            }
            if (count != GuardCount.NONE) {
                effects.domainDelta(domain, new DomainDelta(count.known, count.silent));
            }
        }
        r.guardCount = count;
        r.guardDomain = domain;
    }
}
