package io.hostwatch.detector;

/**
 * Probe request ids: {@code <host>/<lastHeartbeatAt>/<attempt>}. Derived from the input, never random, so that a
 * replay produces the ids the probers answered live; the heartbeat time names the silence, so answers to an
 * earlier silence can never be mistaken for answers to this one.
 */
final class RequestIds {
    private RequestIds() {}

    static String of(String host, long lastHeartbeatAt, int attempt) {
        return host + '/' + lastHeartbeatAt + '/' + attempt;
    }

    /** The attempt {@code requestId} names, or -1 when it is not a request of this host's silence. */
    static int attemptOf(String requestId, String host, long lastHeartbeatAt) {
        String prefix = host + '/' + lastHeartbeatAt + '/';
        if (requestId == null
                || !requestId.startsWith(prefix)
                || requestId.length() == prefix.length()
                || requestId.length() - prefix.length() > 9) {
            return -1;
        }
        int attempt = 0;
        for (int i = prefix.length(); i < requestId.length(); i++) {
            char c = requestId.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            attempt = attempt * 10 + (c - '0');
        }
        return attempt;
    }
}
