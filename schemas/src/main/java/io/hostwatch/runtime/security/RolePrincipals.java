package io.hostwatch.runtime.security;

import java.util.Objects;

/**
 * The Kafka principal of each hostwatch role, e.g. {@code User:hostwatch-agent}. Every compute host's agent shares
 * the agent principal: Kafka ACLs cannot tell hosts apart by record key, so what stops one host speaking for another
 * is the heartbeat authenticator, not the broker.
 */
public record RolePrincipals(String agent, String prober, String detector, String novaConsumer) {
    public RolePrincipals {
        for (String principal : new String[] {agent, prober, detector, novaConsumer}) {
            Objects.requireNonNull(principal, "principal");
            if (!principal.matches("[A-Za-z]+:.+")) {
                throw new IllegalArgumentException(
                        "A principal is TYPE:NAME, e.g. User:hostwatch-agent, not '" + principal + "'");
            }
        }
    }

    /** {@code User:hostwatch-agent}, {@code User:hostwatch-prober}, ... */
    public static RolePrincipals defaults() {
        return new RolePrincipals(
                "User:hostwatch-agent", "User:hostwatch-prober", "User:hostwatch-detector", "User:hostwatch-nova");
    }
}
