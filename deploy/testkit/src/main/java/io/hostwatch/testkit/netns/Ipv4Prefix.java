package io.hostwatch.testkit.netns;

import java.util.Locale;

/**
 * An IPv4 network in CIDR form, normalised to its network address ({@code 192.0.2.7/24} is {@code 192.0.2.0/24}).
 * Just enough arithmetic to pick a test subnet that collides with nothing and to carve it into /30s.
 */
public record Ipv4Prefix(int network, int length) {

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32, was " + length);
        }
        network = network & mask(length);
    }

    /** Parses {@code a.b.c.d/n}, {@code a.b.c.d} (a /32) or {@code default} (0.0.0.0/0). */
    public static Ipv4Prefix parse(String text) {
        String trimmed = text.trim();
        if ("default".equals(trimmed)) {
            return new Ipv4Prefix(0, 0);
        }
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        int length;
        try {
            length = slash < 0 ? 32 : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IPv4 prefix: '" + text + "'", e);
        }
        return new Ipv4Prefix(parseAddress(address), length);
    }

    /** Parses a dotted-quad address into its 32 bits. */
    public static int parseAddress(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'", e);
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String formatAddress(int address) {
        return String.format(
                Locale.ROOT,
                "%d.%d.%d.%d",
                (address >>> 24) & 0xff,
                (address >>> 16) & 0xff,
                (address >>> 8) & 0xff,
                address & 0xff);
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    /** Number of addresses in this prefix. */
    public long size() {
        return 1L << (32 - length);
    }

    public boolean overlaps(Ipv4Prefix other) {
        int shorter = mask(Math.min(length, other.length));
        return (network & shorter) == (other.network & shorter);
    }

    public boolean contains(Ipv4Prefix other) {
        return length <= other.length && (other.network & mask(length)) == network;
    }

    /** The {@code index}-th sub-prefix of length {@code subLength}. */
    public Ipv4Prefix subnet(int subLength, long index) {
        if (subLength < length || subLength > 32) {
            throw new IllegalArgumentException("cannot split " + this + " into /" + subLength);
        }
        long count = 1L << (subLength - length);
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(this + " has " + count + " /" + subLength + "s, no index " + index);
        }
        return new Ipv4Prefix(network + (int) (index << (32 - subLength)), subLength);
    }

    /** The address {@code offset} addresses into this prefix, dotted. */
    public String addressAt(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException(this + " has no address at offset " + offset);
        }
        return formatAddress(network + (int) offset);
    }

    @Override
    public String toString() {
        return formatAddress(network) + "/" + length;
    }
}
