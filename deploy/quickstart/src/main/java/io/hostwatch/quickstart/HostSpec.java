package io.hostwatch.quickstart;

import java.util.Map;

/**
 * A test host to create: its id (the Nova host name), failure domain, and agent settings of its own on top of the
 * pipeline's (e.g. a host whose fault needs another service-down action).
 */
record HostSpec(String id, String failureDomain, Map<String, String> agentOverrides) {
    HostSpec {
        agentOverrides = Map.copyOf(agentOverrides);
    }

    HostSpec(String id, String failureDomain) {
        this(id, failureDomain, Map.of());
    }
}
