package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import org.junit.jupiter.api.Test;

class NovaViewTest {
    private static final String DEAD_REASON = "hostwatch: DEAD/HARDWARE_FAILURE_OR_SHUTDOWN since 2026-12-03T03:12:09Z";
    private static final String ISOLATED_REASON = "hostwatch: ISOLATED/NETWORK_UNREACHABLE since 2026-12-03T03:12:09Z";

    @Test
    void shouldExpectDeadHostsDisabledWithTheReasonAndForcedDown() {
        // given
        var dead = FaultScenario.expect(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN);
        // then
        assertThat(NovaView.reflects(dead).test(new NovaDemo.ServiceView("disabled", DEAD_REASON, true)))
                .isTrue();
        assertThat(NovaView.reflects(dead).test(new NovaDemo.ServiceView("disabled", DEAD_REASON, false)))
                .isFalse();
        assertThat(NovaView.reflects(dead).test(new NovaDemo.ServiceView("disabled", "ops: maintenance", true)))
                .isFalse();
    }

    @Test
    void shouldExpectIsolatedHostsDisabledButNeverForcedDown() {
        var isolated = FaultScenario.expect(HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE);
        assertThat(NovaView.reflects(isolated).test(new NovaDemo.ServiceView("disabled", ISOLATED_REASON, false)))
                .isTrue();
        assertThat(NovaView.reflects(isolated).test(new NovaDemo.ServiceView("disabled", ISOLATED_REASON, true)))
                .isFalse();
        assertThat(NovaView.reflects(isolated).test(new NovaDemo.ServiceView("enabled", null, false)))
                .isFalse();
    }

    @Test
    void shouldExpectRunningHostsEnabledAndNotForcedDown() {
        var running = FaultScenario.expect(HostStatus.RUNNING, StateReason.RECOVERED);
        assertThat(NovaView.reflects(running).test(new NovaDemo.ServiceView("enabled", null, false)))
                .isTrue();
        assertThat(NovaView.reflects(running).test(new NovaDemo.ServiceView("enabled", null, true)))
                .isFalse();
        assertThat(NovaView.reflects(running).test(new NovaDemo.ServiceView("disabled", DEAD_REASON, false)))
                .isFalse();
    }
}
