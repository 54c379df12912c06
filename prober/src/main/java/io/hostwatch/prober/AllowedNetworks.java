package io.hostwatch.prober;

import io.hostwatch.input.InputRules;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code probe.allowed.networks}: the management networks the prober may ping (CIDR list). An address outside them,
 * or one that is not an IP literal, is never pinged: a forged or mistaken heartbeat address must not turn the
 * probers into a ping source towards arbitrary networks. Empty allows every address (the behaviour before the
 * setting existed, so an upgrade keeps probing; {@code check-config} and the start warn about it).
 */
final class AllowedNetworks {
    static final AllowedNetworks ANY = new AllowedNetworks(List.of());

    private final List<Cidr> networks;

    private AllowedNetworks(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
    }

    /** @throws IllegalArgumentException naming the entry that is not a CIDR */
    static AllowedNetworks parse(List<String> cidrs) {
        List<Cidr> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            parsed.add(Cidr.parse(cidr.trim()));
        }
        return new AllowedNetworks(parsed);
    }

    boolean any() {
        return networks.isEmpty();
    }

    /** Why {@code address} may not be pinged, or empty if it may. */
    Optional<String> refusal(String address) {
        if (networks.isEmpty()) {
            return Optional.empty();
        }
        InetAddress ip = InputRules.ipLiteral(address);
        if (ip == null) {
            return Optional.of("address '" + abbreviate(address) + "' is not an IP literal: not pinged "
                    + "(probe.allowed.networks is set)");
        }
        for (Cidr network : networks) {
            if (network.contains(ip)) {
                return Optional.empty();
            }
        }
        return Optional.of("address " + address + " is outside probe.allowed.networks " + networks + ": not pinged");
    }

    private static String abbreviate(String address) {
        return address.length() <= 64 ? address : address.substring(0, 64) + "...";
    }

    /** One network: address bytes and prefix length. */
    record Cidr(byte[] network, int prefix, String text) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress ip = InputRules.ipLiteral(slash < 0 ? text : text.substring(0, slash));
            if (ip == null) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR network like 10.0.0.0/16");
            }
            int bits = ip.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + bits);
            }
            return new Cidr(ip.getAddress(), prefix, text);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr other && text.equals(other.text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }
}
