package io.hostwatch.agent.isolation;

/** An address whose answer proves this host's network still works; {@code port} is used by the tcp method. */
public record IsolationAddress(String host, int port) {

    /**
     * Parses {@code host} or {@code host:port} (IPv6 literals in brackets: {@code [fd00::1]:22}; a bare IPv6
     * literal has no port).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code entry}
     */
    public static IsolationAddress parse(String entry, int defaultPort) {
        String value = entry.trim();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address");
            }
            String host = nonEmptyHost(value.substring(1, close));
            String rest = value.substring(close + 1);
            if (rest.isEmpty()) {
                return new IsolationAddress(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected ':port' after ']'");
            }
            return new IsolationAddress(host, port(rest.substring(1)));
        }
        int colon = value.lastIndexOf(':');
        if (colon >= 0 && value.indexOf(':') == colon) {
            return new IsolationAddress(nonEmptyHost(value.substring(0, colon)), port(value.substring(colon + 1)));
        }
        return new IsolationAddress(nonEmptyHost(value), defaultPort);
    }

    private static String nonEmptyHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        return host;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the valid range
        }
        throw new IllegalArgumentException("port must be 1-65535");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
