package io.hostwatch.agent.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The default IPv4 gateway, read from {@code /proc/net/route} (no root, no {@code ip} command needed). */
public final class DefaultGateway {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    private DefaultGateway() {}

    public static Optional<String> detect() {
        try {
            return parse(Files.readString(ROUTES, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The gateway of the first up default route in {@code /proc/net/route} text. */
    static Optional<String> parse(String routes) {
        for (String line : routes.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || f[0].equals("Iface")) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                if (f[1].equals("00000000") && (flags & RTF_UP) != 0 && (flags & RTF_GATEWAY) != 0) {
                    long gw = Long.parseLong(f[2], 16);
                    // The kernel prints the address in host byte order, i.e. little-endian here.
                    return Optional.of(String.format(
                            Locale.ROOT,
                            "%d.%d.%d.%d",
                            gw & 0xff,
                            (gw >> 8) & 0xff,
                            (gw >> 16) & 0xff,
                            (gw >> 24) & 0xff));
                }
            } catch (NumberFormatException ignored) {
                // a line we do not understand is not a default route
            }
        }
        return Optional.empty();
    }
}
