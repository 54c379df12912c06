package io.hostwatch.quickstart;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.util.List;
import java.util.Optional;

/**
 * One row of the fault matrix: a real fault injected into test hosts, the verdict hostwatch must reach for each
 * of them, and how the fault is undone.
 */
record FaultScenario(
        String name, String description, List<String> hosts, Expectation expected, Step inject, Step recover) {

    /** What the affected hosts' latest host-state event must say. */
    record Expectation(HostStatus state, StateReason reason, Optional<HostCondition> condition) {
        boolean matches(HostState event) {
            return event.getState() == state
                    && event.getReason() == reason
                    && condition.map(c -> event.getConditions().contains(c)).orElse(true);
        }

        @Override
        public String toString() {
            return state + "/" + reason + condition.map(c -> " +" + c).orElse("");
        }
    }

    /** A fault or its repair, applied to the running pipeline. */
    @FunctionalInterface
    interface Step {
        void apply(LocalPipeline pipeline) throws Exception;
    }

    static Expectation expect(HostStatus state, StateReason reason) {
        return new Expectation(state, reason, Optional.empty());
    }

    static Expectation expect(HostStatus state, StateReason reason, HostCondition condition) {
        return new Expectation(state, reason, Optional.of(condition));
    }
}
