package io.hostwatch.testkit.netns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code ip -4 -o addr show} and {@code ip -4 route show table all} report, parsed into prefixes, so the
 * harness can prove a test subnet collides with nothing before it adds a single address or route.
 */
public record IpInventory(List<Route> routes, List<Address> addresses) {
    private static final Set<String> ROUTE_TYPES = Set.of(
            "unicast",
            "local",
            "broadcast",
            "multicast",
            "anycast",
            "blackhole",
            "unreachable",
            "prohibit",
            "throw",
            "nat");

    public IpInventory {
        routes = List.copyOf(routes);
        addresses = List.copyOf(addresses);
    }

    /** One line of {@code ip route}: its destination, type and the attributes the harness looks at. */
    public record Route(
            Ipv4Prefix destination, String type, String device, String protocol, long metric, String line) {}

    /** One IPv4 address of an interface, with the network it implies. */
    public record Address(Ipv4Prefix network, String address, String device, String label, String line) {}

    public static IpInventory parse(String routeOutput, String addressOutput) {
        return new IpInventory(parseRoutes(routeOutput), parseAddresses(addressOutput));
    }

    /** Parses {@code ip -4 route show table all}; continuation lines (nexthops, cache) are skipped. */
    public static List<Route> parseRoutes(String output) {
        List<Route> routes = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String[] tokens = line.trim().split("\\s+");
            int i = 0;
            String type = "unicast";
            if (ROUTE_TYPES.contains(tokens[0])) {
                type = tokens[0];
                i = 1;
            }
            if (i >= tokens.length) {
                continue;
            }
            Ipv4Prefix destination;
            try {
                destination = Ipv4Prefix.parse(tokens[i]);
            } catch (IllegalArgumentException e) {
                continue; // not an IPv4 destination (ip -4 should not print one, but never trust a format)
            }
            Map<String, String> attributes = attributes(tokens, i + 1);
            long metric = 0;
            if (attributes.containsKey("metric")) {
                try {
                    metric = Long.parseLong(attributes.get("metric"));
                } catch (NumberFormatException e) {
                    metric = -1;
                }
            }
            routes.add(new Route(destination, type, attributes.get("dev"), attributes.get("proto"), metric, line));
        }
        return routes;
    }

    /** Parses {@code ip -4 -o addr show}: {@code 4: eth0    inet 192.0.2.2/24 brd ... scope global eth0\ ...}. */
    public static List<Address> parseAddresses(String output) {
        List<Address> addresses = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] tokens = line.trim().split("\\s+");
            for (int i = 0; i + 1 < tokens.length; i++) {
                if ("inet".equals(tokens[i])) {
                    String cidr = tokens[i + 1];
                    String device = tokens.length > 1 ? tokens[1] : "";
                    String label = labelOf(tokens, i + 2, device);
                    try {
                        addresses.add(new Address(Ipv4Prefix.parse(cidr), cidr.split("/")[0], device, label, line));
                    } catch (IllegalArgumentException e) {
                        // ignore anything that is not IPv4
                    }
                    break;
                }
            }
        }
        return addresses;
    }

    private static String labelOf(String[] tokens, int from, String device) {
        // the label is the token after the scope value, e.g. "scope global lo:hwt1a\"; without one it is the device
        for (int i = from; i + 2 < tokens.length; i++) {
            if ("scope".equals(tokens[i])) {
                String candidate = tokens[i + 2].replace("\\", "");
                if (candidate.startsWith(device)) {
                    return candidate;
                }
            }
        }
        return device;
    }

    private static Map<String, String> attributes(String[] tokens, int from) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = from; i + 1 < tokens.length; i++) {
            String key = tokens[i];
            if (key.equals("dev")
                    || key.equals("proto")
                    || key.equals("metric")
                    || key.equals("via")
                    || key.equals("table")
                    || key.equals("scope")
                    || key.equals("src")) {
                attributes.putIfAbsent(key, tokens[i + 1]);
                i++;
            }
        }
        return attributes;
    }

    /** Every route and address network, for error messages. */
    public Optional<String> firstOverlap(Ipv4Prefix prefix) {
        return routes.stream()
                .filter(r -> r.destination().length() > 0 && r.destination().overlaps(prefix))
                .map(Route::line)
                .findFirst()
                .or(() -> addresses.stream()
                        .filter(a -> a.network().overlaps(prefix))
                        .map(Address::line)
                        .findFirst());
    }
}
