package io.hostwatch.agent;

import java.util.Optional;
import java.util.UUID;

/**
 * Who one (real or virtual) host is in its heartbeats.
 *
 * @param agentInstance random per process start (per virtual host in a simulation): a change tells the detector
 *                      the agent restarted
 * @param address       the management address the prober pings
 */
public record HostIdentity(String host, String agentInstance, String address, Optional<String> failureDomain) {

    public static HostIdentity fresh(String host, String address, Optional<String> failureDomain) {
        return new HostIdentity(host, UUID.randomUUID().toString(), address, failureDomain);
    }
}
