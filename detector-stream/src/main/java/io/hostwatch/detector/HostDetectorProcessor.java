package io.hostwatch.detector;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.Tick;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The detector's per-task processor: heartbeats, ticks and probe results of one partition in, probe requests, host
 * states and guard deltas out. Stream time is driven by the records themselves: before a record with broker time
 * {@code t} is applied, every host timer due before {@code t} runs at its own due time, in due-time order. Ticks do
 * nothing else; they exist so that {@code t} advances on a partition whose hosts are all silent.
 *
 * <p>This replaces Kafka Streams' STREAM_TIME punctuator on purpose: a punctuator fires on a grid whose phase
 * depends on when the task was initialised and hands it the task's current stream time, so the timestamps of
 * verdicts would differ between a live run and a replay of the same records. Running timers at their own due time
 * makes every output a function of the input records only.
 */
final class HostDetectorProcessor implements Processor<String, Object, String, Object> {
    private final HostStateMachine machine;
    private final DetectionSettings settings;
    private final DetectorListener listener;
    private final HeartbeatGate gate;
    private final DeadlineIndex index = new DeadlineIndex();
    private final Effects effects = new Effects();

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, HostRecord> hosts;
    private KeyValueStore<String, HostTimeline> timelines;
    private KeyValueStore<String, DomainStatus> guardStore;
    private DomainGuard guard;
    private TaskId taskId;
    private long lastRecordAt = HostRecord.UNSET;
    private long stallEndedAt = HostRecord.UNSET;
    private long timerNanos;

    HostDetectorProcessor(
            HostStateMachine machine, DetectionSettings settings, HeartbeatGate gate, DetectorListener listener) {
        this.machine = machine;
        this.gate = gate;
        this.settings = settings;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.taskId = context.taskId();
        hosts = context.getStateStore(DetectorTopology.HOSTS_STORE);
        timelines = context.getStateStore(DetectorTopology.TIMELINES_STORE);
        guardStore = context.getStateStore(DetectorTopology.DOMAIN_GUARD_STORE);
        guard = domain -> {
            DomainStatus status = guardStore.get(domain);
            return status != null && status.holding();
        };
        long restored = context.currentStreamTimeMs();
        lastRecordAt = restored >= 0 ? restored : HostRecord.UNSET;
        // one scan per task (re)initialisation, never per tick: rebuild the in-memory timers and state counts
        index.clear();
        try (KeyValueIterator<String, HostRecord> all = hosts.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                HostRecord r = entry.value;
                index.schedule(entry.key, r.timerAt);
                if (r.verdict != null) {
                    listener.hostCount(taskId, r.verdict.state(), 1);
                }
            }
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        long t = record.timestamp();
        if (lastRecordAt != HostRecord.UNSET && t - lastRecordAt > settings.pipelineStallMs()) {
            stallEndedAt = t;
        }
        if (lastRecordAt == HostRecord.UNSET || t > lastRecordAt) {
            lastRecordAt = t;
        }
        long started = System.nanoTime();
        runDueTimers(t);
        timerNanos += System.nanoTime() - started;
        Object value = record.value();
        String host = record.key();
        if (value instanceof Heartbeat) {
            Heartbeat heartbeat = (Heartbeat) value;
            HostRecord prior = admit(host, heartbeat, t);
            save(host, machine.onHeartbeat(host, prior, heartbeat, t, effects));
            return;
        }
        if (value == null) {
            listener.heartbeatRejected(HeartbeatRejection.EMPTY_VALUE);
            throw new HeartbeatRejectedException(HeartbeatRejection.EMPTY_VALUE, "record without a value");
        }
        if (host == null && !(value instanceof Tick)) {
            // not keyed by host: it may sit on any partition, so no task can own it; drop rather than guess
            listener.recordDropped();
            return;
        }
        if (value instanceof ProbeResult) {
            HostRecord r = host == null ? null : hosts.get(host);
            if (machine.onProbeResult(host, r, (ProbeResult) value, t, guard, effects)) {
                save(host, r);
            } else {
                listener.probeResultIgnored();
            }
        } else if (value instanceof Tick) {
            listener.tickProcessed(context.currentSystemTimeMs() - t);
            listener.timerWork(timerNanos);
            timerNanos = 0;
        }
    }

    /**
     * The host's record if the heartbeat may be applied to it; throws {@link HeartbeatRejectedException} (a dead
     * letter) before anything is read or written for a heartbeat that may not.
     */
    private HostRecord admit(String key, Heartbeat heartbeat, long t) {
        try {
            boolean authenticated = gate.admit(key, heartbeat, t);
            HostRecord prior = hosts.get(key);
            if (authenticated) {
                HeartbeatGate.checkReplay(prior, heartbeat);
            } else if (gate.mode() == io.hostwatch.auth.AuthMode.OPTIONAL) {
                listener.heartbeatUnauthenticated();
            }
            return prior;
        } catch (HeartbeatRejectedException e) {
            listener.heartbeatRejected(e.reason());
            throw e;
        }
    }

    private void runDueTimers(long limit) {
        String host;
        while ((host = index.pollDue(limit)) != null) {
            long due = index.lastDue();
            HostRecord r = hosts.get(host);
            if (r == null) {
                continue;
            }
            if (r.timerAt != due) {
                index.schedule(host, r.timerAt);
                continue;
            }
            machine.onTimer(host, r, due, guard, stallEndedAt, effects);
            save(host, r);
        }
    }

    private void save(String host, HostRecord r) {
        hosts.put(host, r);
        index.schedule(host, r.timerAt);
    }

    @Override
    public void close() {
        listener.taskClosed(taskId);
    }

    private final class Effects implements HostStateMachine.Effects {
        @Override
        public void probe(ProbeRequest request) {
            listener.probeRequested();
            context.forward(
                    new Record<String, Object>(
                            request.getHost(), request, request.getRequestedAt().toEpochMilli()),
                    DetectorTopology.PROBE_REQUESTS_SINK);
        }

        @Override
        public void publish(HostState state, HostStatus previous) {
            if (previous != state.getState()) {
                if (previous != null) {
                    listener.hostCount(taskId, previous, -1);
                }
                listener.hostCount(taskId, state.getState(), 1);
            }
            listener.transition();
            Record<String, Object> out =
                    new Record<>(state.getHost(), state, state.getObservedAt().toEpochMilli());
            context.forward(out, DetectorTopology.HOST_STATES_SINK);
            context.forward(out, DetectorTopology.HOST_STATE_HISTORY_SINK);
            timelines.put(
                    state.getHost(), HostTimeline.append(timelines.get(state.getHost()), HostTimeline.Entry.of(state)));
        }

        @Override
        public void domainDelta(String domain, DomainDelta delta) {
            context.forward(
                    new Record<String, Object>(domain, delta, lastRecordAt), DetectorTopology.DOMAIN_DELTAS_SINK);
        }
    }
}
