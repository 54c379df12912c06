package io.hostwatch.detector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hostwatch.schema.Evidence;
import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.StorageOutcome;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Plain JSON for a {@link HostState} (query API, replay JSONL): timestamps as ISO-8601, absent values as null. */
public final class HostStateJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HostStateJson() {}

    public static ObjectNode toNode(HostState s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("host", s.getHost());
        node.put("state", s.getState().name());
        node.put("reason", s.getReason().name());
        ArrayNode conditions = node.putArray("conditions");
        for (HostCondition c : s.getConditions()) {
            conditions.add(c.name());
        }
        node.put("since", iso(s.getSince()));
        node.put("observedAt", iso(s.getObservedAt()));
        node.put(
                "previousState",
                s.getPreviousState() == null ? null : s.getPreviousState().name());
        Evidence e = s.getEvidence();
        ObjectNode evidence = node.putObject("evidence");
        evidence.put("lastHeartbeatAt", iso(e.getLastHeartbeatAt()));
        PingOutcome ping = e.getPing();
        if (ping == null) {
            evidence.putNull("ping");
        } else {
            ObjectNode p = evidence.putObject("ping");
            p.put("status", ping.getStatus().name());
            p.put("method", ping.getMethod().name());
            p.put("rttMicros", ping.getRttMicros());
            p.put("detail", ping.getDetail());
        }
        StorageOutcome storage = e.getStorage();
        if (storage == null) {
            evidence.putNull("storage");
        } else {
            ObjectNode st = evidence.putObject("storage");
            st.put("status", storage.getStatus().name());
            st.put("sequence", storage.getSequence());
            st.put("selfIsolated", storage.getSelfIsolated());
            st.put("detail", storage.getDetail());
        }
        ArrayNode probers = evidence.putArray("probers");
        e.getProbers().forEach(probers::add);
        node.put("detectorVersion", s.getDetectorVersion());
        return node;
    }

    public static String toJson(HostState state) {
        return write(toNode(state));
    }

    public static String toJsonArray(List<HostState> states) {
        ArrayNode array = MAPPER.createArrayNode();
        states.forEach(s -> array.add(toNode(s)));
        return write(array);
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    private static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
