package io.hostwatch.agent.isolation;

/** An address whose answer proves this host's network still works; {@code port} is used by the tcp method. */
public record IsolationAddress(String host, int port) {

    /** Parses {@code host} or {@code host:port} (IPv6 literals in brackets: {@code [fd00::1]:22}). */
    public static IsolationAddress parse(String entry, int defaultPort) {
        String value = entry.trim();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            String host = value.substring(1, close);
            return new IsolationAddress(host, close + 2 <= value.length() - 1 && value.charAt(close + 1) == ':'
                    ? Integer.parseInt(value.substring(close + 2)) : defaultPort);
        }
        int colon = value.lastIndexOf(':');
        if (colon > 0 && value.indexOf(':') == colon) {
            return new IsolationAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        }
        return new IsolationAddress(value, defaultPort);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
