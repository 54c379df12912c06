package io.hostwatch.detector.console;

import io.hostwatch.schema.HostStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What the host table asks for: an optional state (a {@link HostStatus} or {@value HostRow#DEGRADED}), failure
 * domain and host-name search, and a page. The limit is capped so that no request can make an instance render the
 * whole fleet.
 *
 * @param state  null for every state
 * @param domain null for every domain
 * @param q      null, or a case-insensitive substring of the host name
 */
public record HostFilter(String state, String domain, String q, int offset, int limit) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** Deeper pages make every instance keep offset+limit rows: nobody pages 10,000 rows deep in a browser. */
    public static final int MAX_OFFSET = 20_000;

    public HostFilter {
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new IllegalArgumentException("offset must be 0.." + MAX_OFFSET + ", was " + offset);
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 0.." + MAX_LIMIT + ", was " + limit);
        }
        q = q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
        domain = domain == null || domain.isBlank() ? null : domain;
    }

    public static final HostFilter ALL_COUNTS_ONLY = new HostFilter(null, null, null, 0, 0);

    /** From query parameters; {@link IllegalArgumentException} (HTTP 400) names the bad one. */
    public static HostFilter parse(Map<String, String> params) {
        String state = params.get("state");
        if (state != null && !state.isBlank()) {
            state = state.strip().toUpperCase(Locale.ROOT);
            if (!state.equals(HostRow.DEGRADED)) {
                try {
                    HostStatus.valueOf(state);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown state '" + params.get("state") + "'");
                }
            }
        } else {
            state = null;
        }
        return new HostFilter(
                state,
                params.get("domain"),
                params.get("q"),
                integer(params, "offset", 0),
                integer(params, "limit", DEFAULT_LIMIT));
    }

    public boolean matches(HostRow row) {
        if (state != null) {
            boolean wanted = state.equals(HostRow.DEGRADED) ? row.degraded() : state.equals(row.state());
            if (!wanted) {
                return false;
            }
        }
        if (domain != null && !domain.equals(row.domain())) {
            return false;
        }
        return q == null || row.host().toLowerCase(Locale.ROOT).contains(q);
    }

    /** The rows each instance must send for the merged page to be exact: the first offset+limit of its own. */
    int window() {
        return offset + limit;
    }

    /** The query string a peer's {@code /api/slice} is asked with: same filter, its first {@link #window()} rows. */
    String peerQuery() {
        StringBuilder query = new StringBuilder("local=true&window=" + window());
        append(query, "state", state);
        append(query, "domain", domain);
        append(query, "q", q);
        return query.toString();
    }

    private static void append(StringBuilder query, String key, String value) {
        if (value != null) {
            query.append('&').append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static int integer(Map<String, String> params, String key, int fallback) {
        String value = params.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, was '" + value + "'");
        }
    }
}
