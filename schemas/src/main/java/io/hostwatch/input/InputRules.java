package io.hostwatch.input;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * What a heartbeat may contain before it touches any state (contract section 11): host ids compatible with Nova
 * hypervisor host names and addresses that are IP literals, parsed without ever asking DNS.
 */
public final class InputRules {
    /** Longest host id: the longest DNS name, and what Nova's {@code host} column holds. */
    public static final int MAX_HOST_ID_LENGTH = 255;

    private static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private InputRules() {}

    /** 1 to 255 letters, digits, '.', '_' or '-', and not {@code .} or {@code ..} (it names a file). */
    public static boolean validHostId(String host) {
        return host != null && HOST_ID.matcher(host).matches() && !host.equals(".") && !host.equals("..");
    }

    /** The address as an IP literal, or null if it is none (names included: the detector never resolves). */
    public static InetAddress ipLiteral(String address) {
        if (address == null) {
            return null;
        }
        var v4 = IPV4.matcher(address);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String octet = v4.group(i + 1);
                int value = Integer.parseInt(octet);
                if (value > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                    return null;
                }
                bytes[i] = (byte) value;
            }
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        if (address.indexOf(':') < 0 || !IPV6_CHARS.matcher(address).matches()) {
            return null;
        }
        try {
            // only hex digits, ':' and '.': InetAddress parses it as an IPv6 literal and never asks a resolver
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public static boolean validAddress(String address) {
        return ipLiteral(address) != null;
    }
}
