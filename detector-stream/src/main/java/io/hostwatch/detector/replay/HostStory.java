package io.hostwatch.detector.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostwatch.detector.DomainStatus;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code replay --host H}: one host's story, printed as it is replayed. Heartbeats are summarised as the first one and
 * every gap longer than twice the interval the agent announces; every probe request, every prober's answer and every
 * verdict with the rule behind it and the guard's view of the host's domain are printed. Constant memory.
 */
final class HostStory implements ReplayObserver {
    private final String host;
    private final String heartbeatsTopic;
    private final String resultsTopic;
    private final PrintWriter out;
    private final boolean json;
    private long lastHeartbeatAt = -1;
    private long heartbeats;
    private long events;

    HostStory(String host, String heartbeatsTopic, String resultsTopic, PrintWriter out, boolean json) {
        this.host = host;
        this.heartbeatsTopic = heartbeatsTopic;
        this.resultsTopic = resultsTopic;
        this.out = out;
        this.json = json;
    }

    @Override
    public void input(String topic, String key, Object value, long timestamp) {
        if (!host.equals(key)) {
            return;
        }
        if (topic.equals(heartbeatsTopic) && value instanceof Heartbeat hb) {
            heartbeats++;
            if (lastHeartbeatAt < 0) {
                ObjectNode e = event("heartbeat", timestamp);
                e.put("domain", hb.getFailureDomain());
                e.put("address", hb.getAddress());
                e.put("serviceStatus", hb.getServiceStatus().name());
                emit(
                        e,
                        String.format(
                                Locale.ROOT,
                                "first heartbeat  domain %s, address %s, service %s",
                                hb.getFailureDomain(),
                                hb.getAddress(),
                                hb.getServiceStatus()));
            } else if (timestamp - lastHeartbeatAt > 2L * hb.getIntervalMs()) {
                ObjectNode e = event("heartbeat-gap", timestamp);
                e.put("gapMs", timestamp - lastHeartbeatAt);
                e.put("from", ReplayJson.iso(lastHeartbeatAt));
                emit(
                        e,
                        String.format(
                                Locale.ROOT,
                                "heartbeat gap    %.3f s of silence since %s ended",
                                (timestamp - lastHeartbeatAt) / 1000.0,
                                ReplayJson.iso(lastHeartbeatAt)));
            }
            lastHeartbeatAt = Math.max(lastHeartbeatAt, timestamp);
        } else if (topic.equals(resultsTopic) && value instanceof ProbeResult r) {
            ObjectNode e = event("probe-result", timestamp);
            e.put("requestId", r.getRequestId());
            e.put("prober", r.getProber());
            e.put("ping", r.getPing().getStatus().name());
            e.put("pingDetail", r.getPing().getDetail());
            e.put("storage", r.getStorage().getStatus().name());
            e.put("storageSequence", r.getStorage().getSequence());
            e.put("selfIsolated", r.getStorage().getSelfIsolated());
            emit(
                    e,
                    String.format(
                            Locale.ROOT,
                            "probe answer     %s: ping %s, storage %s (sequence %d%s) for %s",
                            r.getProber(),
                            r.getPing().getStatus(),
                            r.getStorage().getStatus(),
                            r.getStorage().getSequence(),
                            r.getStorage().getSelfIsolated() ? ", self-isolated" : "",
                            r.getRequestId()));
        }
    }

    @Override
    public void probeRequest(ProbeRequest request) {
        if (!host.equals(request.getHost())) {
            return;
        }
        ObjectNode e = event("probe-request", request.getRequestedAt().toEpochMilli());
        e.put("requestId", request.getRequestId());
        e.put("attempt", request.getAttempt());
        e.put("lastHeartbeatAt", request.getLastHeartbeatAt().toString());
        emit(
                e,
                String.format(
                        Locale.ROOT, "probe request    attempt %d, %s", request.getAttempt(), request.getRequestId()));
    }

    @Override
    public void transition(HostState s, DomainStatus guard) {
        if (!host.equals(s.getHost())) {
            return;
        }
        String rule = VerdictRules.of(s);
        ObjectNode e = event("verdict", s.getObservedAt().toEpochMilli());
        e.put(
                "previousState",
                s.getPreviousState() == null ? null : s.getPreviousState().name());
        e.put("state", s.getState().name());
        e.put("reason", s.getReason().name());
        e.put("rule", rule);
        e.put("probers", String.join(",", s.getEvidence().getProbers()));
        ObjectNode g = e.putObject("guard");
        g.put("known", guard == null ? 0 : guard.known());
        g.put("silent", guard == null ? 0 : guard.silent());
        g.put("holding", guard != null && guard.holding());
        emit(
                e,
                String.format(
                        Locale.ROOT,
                        "verdict          %s -> %s %s, rule %s; guard: %s",
                        s.getPreviousState() == null ? "-" : s.getPreviousState(),
                        s.getState(),
                        s.getReason(),
                        rule,
                        guard == null
                                ? "domain not counted"
                                : String.format(
                                        Locale.ROOT,
                                        "%d known, %d silent, %s",
                                        guard.known(),
                                        guard.silent(),
                                        guard.holding() ? "HOLDING" : "not holding")));
    }

    /** Closes the story: a silence still open at the end of the window, and a count. */
    void finish(long windowEnd) {
        if (lastHeartbeatAt >= 0 && windowEnd - lastHeartbeatAt > 0) {
            ObjectNode e = event("window-end", windowEnd);
            e.put("sinceLastHeartbeatMs", windowEnd - lastHeartbeatAt);
            e.put("heartbeats", heartbeats);
            emit(
                    e,
                    String.format(
                            Locale.ROOT,
                            "window end       %d heartbeats, last %s (%.3f s before the end)",
                            heartbeats,
                            ReplayJson.iso(lastHeartbeatAt),
                            (windowEnd - lastHeartbeatAt) / 1000.0));
        }
        out.flush();
    }

    /** Lines printed for the host; zero means the window holds nothing about it. */
    long events() {
        return events;
    }

    private ObjectNode event(String type, long at) {
        ObjectNode e = ReplayJson.object();
        e.put("host", host);
        e.put("at", ReplayJson.iso(at));
        e.put("event", type);
        return e;
    }

    private void emit(ObjectNode e, String text) {
        events++;
        if (json) {
            out.println(ReplayJson.write(e));
        } else {
            out.printf(Locale.ROOT, "%-24s %s%n", e.get("at").asText(), text);
        }
    }
}
