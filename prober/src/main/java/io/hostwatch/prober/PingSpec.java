package io.hostwatch.prober;

import io.hostwatch.schema.PingMethod;
import java.util.Locale;

/** How to ping: {@code icmp} (the system ping command) or {@code tcp:<port>} (a TCP connect). */
record PingSpec(PingMethod method, int port) {

    static PingSpec parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if ("icmp".equals(value)) {
            return new PingSpec(PingMethod.ICMP, 0);
        }
        if (value.startsWith("tcp:")) {
            try {
                int port = Integer.parseInt(value.substring(4));
                if (port >= 1 && port <= 65535) {
                    return new PingSpec(PingMethod.TCP, port);
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("must be 'icmp' or 'tcp:<port>' with a port 1..65535, was '" + text + "'");
    }

    @Override
    public String toString() {
        return method == PingMethod.ICMP ? "icmp" : "tcp:" + port;
    }
}
