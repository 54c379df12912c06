package io.hostwatch.agent;

import java.util.List;

/** A validated configuration and the host identities the agent will heartbeat for (one, or N simulated). */
record AgentLaunch(MemberAgentConfig config, List<HostIdentity> identities) {
    AgentLaunch {
        identities = List.copyOf(identities);
    }
}
