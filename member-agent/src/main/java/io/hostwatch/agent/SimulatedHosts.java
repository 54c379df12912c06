package io.hostwatch.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The virtual hosts of {@code --simulate N}: ids {@code <prefix>00001...}, each with its own agent instance and its
 * own loopback address {@code 127.(1 + i/65536).(i/256 % 256).(i % 256)} (all of 127/8 answers pings on Linux).
 */
public final class SimulatedHosts {
    private SimulatedHosts() {}

    /**
     * @param domains 1: every host in the configured failure domain; more: hosts spread round-robin over
     *                {@code <failure.domain or "az">-1..domains}
     */
    public static List<HostIdentity> create(
            String prefix, int first, int count, Optional<String> failureDomain, int domains) {
        if (count < 1 || first < 1 || (long) first + count - 1 > 9_999_999L) {
            throw new IllegalArgumentException(
                    "simulate needs 1 <= first and count >= 1, got first=" + first + " count=" + count);
        }
        List<HostIdentity> hosts = new ArrayList<>(count);
        for (int i = first; i < first + count; i++) {
            Optional<String> domain = domains <= 1
                    ? failureDomain
                    : Optional.of(failureDomain.orElse("az") + "-" + ((i - first) % domains + 1));
            hosts.add(HostIdentity.fresh(hostId(prefix, i), address(i), domain));
        }
        return hosts;
    }

    static String hostId(String prefix, int index) {
        return prefix + String.format(Locale.ROOT, "%05d", index);
    }

    static String address(int index) {
        return "127." + (1 + (index >>> 16)) + "." + ((index >>> 8) & 0xff) + "." + (index & 0xff);
    }
}
