package io.hostwatch.prober;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 literals turned into addresses by parsing alone. {@code InetAddress.getByName} is no substitute:
 * it takes a string like {@code node:22} for a host name and asks the name service, and the probe loop's poll
 * thread must never wait for DNS.
 */
final class IpLiterals {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern NUMERIC_ZONE = Pattern.compile("\\d{1,9}");

    private IpLiterals() {}

    /** Whether {@code text} is meant as a literal (dotted quad, or anything with a colon or bracket). */
    static boolean looksLikeLiteral(String text) {
        return IPV4.matcher(text).matches() || text.contains(":") || text.startsWith("[");
    }

    static InetAddress parse(String text) throws AddressResolver.BadAddressException {
        try {
            if (IPV4.matcher(text).matches()) {
                return InetAddress.getByAddress(ipv4(text));
            }
            return ipv6(text);
        } catch (IllegalArgumentException | UnknownHostException | SocketException e) {
            throw new AddressResolver.BadAddressException(
                    "'" + text + "' is not a valid IP address" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static byte[] ipv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("expected four octets");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!octets[i].matches("\\d{1,3}") || Integer.parseInt(octets[i]) > 255) {
                throw new IllegalArgumentException("octet '" + octets[i] + "' is not 0..255");
            }
            bytes[i] = (byte) Integer.parseInt(octets[i]);
        }
        return bytes;
    }

    private static InetAddress ipv6(String text) throws UnknownHostException, SocketException {
        String literal = text;
        if (literal.startsWith("[") || literal.endsWith("]")) {
            if (!literal.startsWith("[") || !literal.endsWith("]")) {
                throw new IllegalArgumentException("unbalanced brackets");
            }
            literal = literal.substring(1, literal.length() - 1);
        }
        String zone = null;
        int percent = literal.indexOf('%');
        if (percent >= 0) {
            zone = literal.substring(percent + 1);
            literal = literal.substring(0, percent);
            if (zone.isEmpty()) {
                throw new IllegalArgumentException("empty zone");
            }
        }
        byte[] bytes = ipv6Bytes(literal);
        if (zone == null) {
            return InetAddress.getByAddress(bytes);
        }
        if (NUMERIC_ZONE.matcher(zone).matches()) {
            return Inet6Address.getByAddress(null, bytes, Integer.parseInt(zone));
        }
        // an interface name: looked up among this machine's interfaces, not by any name service
        NetworkInterface device = NetworkInterface.getByName(zone);
        if (device == null) {
            throw new IllegalArgumentException("no network interface '" + zone + "'");
        }
        return Inet6Address.getByAddress(null, bytes, device);
    }

    /** RFC 4291 text form: eight hex groups, one "::" for a run of zeros, optionally a dotted quad at the end. */
    private static byte[] ipv6Bytes(String literal) {
        int gap = literal.indexOf("::");
        if (gap >= 0 && literal.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException("more than one '::'");
        }
        String head = gap >= 0 ? literal.substring(0, gap) : literal;
        String tail = gap >= 0 ? literal.substring(gap + 2) : "";
        int[] headGroups = groups(head, gap < 0);
        int[] tailGroups = groups(tail, true);
        int total = headGroups.length + tailGroups.length;
        if (gap < 0 ? total != 8 : total > 7) {
            throw new IllegalArgumentException("wrong number of groups");
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            put(bytes, i, headGroups[i]);
        }
        for (int i = 0; i < tailGroups.length; i++) {
            put(bytes, 8 - tailGroups.length + i, tailGroups[i]);
        }
        return bytes;
    }

    /** The 16-bit groups of one side of "::"; {@code last} if a dotted quad may end it. */
    private static int[] groups(String part, boolean last) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        boolean quad = last && texts[texts.length - 1].contains(".");
        int[] groups = new int[texts.length + (quad ? 1 : 0)];
        for (int i = 0; i < texts.length; i++) {
            if (quad && i == texts.length - 1) {
                byte[] v4 = ipv4(texts[i]);
                groups[i] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
                groups[i + 1] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
            } else if (HEX_GROUP.matcher(texts[i]).matches()) {
                groups[i] = Integer.parseInt(texts[i], 16);
            } else {
                throw new IllegalArgumentException("'" + texts[i] + "' is not a group of 1-4 hex digits");
            }
        }
        return groups;
    }

    private static void put(byte[] bytes, int group, int value) {
        bytes[2 * group] = (byte) (value >> 8);
        bytes[2 * group + 1] = (byte) value;
    }
}
