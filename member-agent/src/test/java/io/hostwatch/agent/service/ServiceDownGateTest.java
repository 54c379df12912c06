package io.hostwatch.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.agent.MemberAgentConfig.ServiceDownAction;
import io.hostwatch.agent.service.ServiceDownGate.Decision;
import io.hostwatch.agent.service.ServiceDownGate.Phase;
import io.hostwatch.schema.ServiceStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceDownGateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldHeartbeatWhileServiceIsOkOrDegraded() {
        ServiceDownGate gate = new ServiceDownGate("h", ServiceDownAction.STOP_HEARTBEATS, Duration.ofSeconds(5));

        assertThat(gate.decide(ServiceStatus.OK, 0)).isEqualTo(Decision.HEARTBEAT);
        assertThat(gate.decide(ServiceStatus.DEGRADED, SECOND)).isEqualTo(Decision.HEARTBEAT);
        assertThat(gate.phase()).isEqualTo(Phase.RUNNING);
    }

    @Test
    void shouldSendDownForGraceThenStopThenResumeWhenServiceReturns() {
        // given
        ServiceDownGate gate = new ServiceDownGate("h", ServiceDownAction.STOP_HEARTBEATS, Duration.ofSeconds(5));
        long down = 100 * SECOND;

        // then: DOWN heartbeats during the grace
        assertThat(gate.decide(ServiceStatus.DOWN, down)).isEqualTo(Decision.HEARTBEAT);
        assertThat(gate.phase()).isEqualTo(Phase.SERVICE_DOWN);
        assertThat(gate.decide(ServiceStatus.DOWN, down + 4 * SECOND)).isEqualTo(Decision.HEARTBEAT);
        // then: silence after it
        assertThat(gate.decide(ServiceStatus.DOWN, down + 5 * SECOND)).isEqualTo(Decision.SILENT);
        assertThat(gate.decide(ServiceStatus.DOWN, down + 60 * SECOND)).isEqualTo(Decision.SILENT);
        assertThat(gate.phase()).isEqualTo(Phase.STOPPED);
        // then: back as soon as the service is
        assertThat(gate.decide(ServiceStatus.OK, down + 61 * SECOND)).isEqualTo(Decision.HEARTBEAT);
        assertThat(gate.phase()).isEqualTo(Phase.RUNNING);
        // and a new outage gets a fresh grace
        assertThat(gate.decide(ServiceStatus.DOWN, down + 62 * SECOND)).isEqualTo(Decision.HEARTBEAT);
    }

    @Test
    void shouldKeepReportingDownWhenActionIsReportDown() {
        ServiceDownGate gate = new ServiceDownGate("h", ServiceDownAction.REPORT_DOWN, Duration.ofSeconds(5));

        assertThat(gate.decide(ServiceStatus.DOWN, 0)).isEqualTo(Decision.HEARTBEAT);
        assertThat(gate.decide(ServiceStatus.DOWN, 3600 * SECOND)).isEqualTo(Decision.HEARTBEAT);
        assertThat(gate.phase()).isEqualTo(Phase.SERVICE_DOWN);
    }

    @Test
    void shouldStopAtOnceWhenGraceIsZero() {
        ServiceDownGate gate = new ServiceDownGate("h", ServiceDownAction.STOP_HEARTBEATS, Duration.ZERO);

        assertThat(gate.decide(ServiceStatus.DOWN, 0)).isEqualTo(Decision.SILENT);
    }
}
