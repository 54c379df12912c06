package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.StateReason;
import io.hostwatch.schema.StorageStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** contract section 5's mass-failure guard through the real topology (deltas, aggregator and global store). */
class MassFailureGuardTest {
    @TempDir
    Path stateDir;

    private DetectorDriver detector;
    private final Map<String, String> domainOf = new HashMap<>();
    private final List<String> alive = new ArrayList<>();

    @BeforeEach
    void start() {
        detector = new DetectorDriver(stateDir);
        IntStream.range(0, 10).forEach(i -> domainOf.put("az1-host-" + i, "az1"));
        IntStream.range(0, 3).forEach(i -> domainOf.put("az2-host-" + i, "az2"));
        alive.addAll(domainOf.keySet());
        alive.sort(String::compareTo);
    }

    @AfterEach
    void stop() {
        detector.close();
    }

    private void heartbeatAlive() {
        for (String host : alive) {
            detector.heartbeat(DetectorDriver.heartbeatOf(host).setFailureDomain(domainOf.get(host)));
        }
    }

    /** Lets {@code ms} pass with every live host heartbeating once a second. */
    private void runFor(long ms) {
        long end = detector.now() + ms;
        while (detector.now() < end) {
            heartbeatAlive();
            detector.advanceBy(Math.min(1000, end - detector.now()));
        }
    }

    private void answerAll(List<ProbeRequest> requests) {
        for (ProbeRequest request : requests) {
            detector.result(request, "prober-a", PingStatus.FAILED, StorageStatus.STALE);
            detector.result(request, "prober-b", PingStatus.FAILED, StorageStatus.STALE);
        }
    }

    private Map<String, HostState> latestByHost(List<HostState> states) {
        Map<String, HostState> latest = new HashMap<>();
        states.forEach(state -> latest.put(state.getHost(), state));
        return latest;
    }

    @Test
    void shouldHoldEvacuatingVerdictsWhenTooManyHostsOfADomainFallSilentTogether() {
        // given
        runFor(2000);
        detector.hostStates();

        // when: 4 of 10 hosts of az1 (40% > 30%) and 1 of 3 of az2 fall silent together, probes say dead
        Set<String> silent = Set.of("az1-host-0", "az1-host-3", "az1-host-5", "az1-host-8", "az2-host-1");
        alive.removeAll(silent);
        runFor(3500);
        List<ProbeRequest> requests = detector.probeRequests();
        assertThat(requests).extracting(ProbeRequest::getHost).containsExactlyInAnyOrderElementsOf(silent);
        assertThat(detector.domain("az1").holding()).isTrue();
        answerAll(requests);
        runFor(500);

        // then
        Map<String, HostState> latest = latestByHost(detector.hostStates());
        assertThat(latest.keySet()).isEqualTo(silent);
        for (String host : silent) {
            HostState state = latest.get(host);
            if (host.startsWith("az1")) {
                assertThat(state.getState()).as(host).isEqualTo(HostStatus.UNKNOWN);
                assertThat(state.getReason()).as(host).isEqualTo(StateReason.MASS_FAILURE_SUSPECTED);
            } else {
                assertThat(state.getState()).as(host).isEqualTo(HostStatus.DEAD);
            }
        }
        assertThat(detector.domain("az1")).isEqualTo(new DomainStatus(10, 4, true));
    }

    @Test
    void shouldClassifyHeldHostsNormallyWhenTheFractionFalls() {
        // given: four az1 hosts held
        runFor(2000);
        detector.hostStates();
        List<String> silent = List.of("az1-host-0", "az1-host-3", "az1-host-5", "az1-host-8");
        alive.removeAll(silent);
        runFor(3500);
        answerAll(detector.probeRequests());
        runFor(500);
        assertThat(latestByHost(detector.hostStates()).values())
                .extracting(HostState::getReason)
                .containsOnly(StateReason.MASS_FAILURE_SUSPECTED);

        // when: two of them come back, 2 of 10 silent is below the fraction
        alive.addAll(List.of("az1-host-0", "az1-host-3"));
        runFor(1500);

        // then: the two still silent are probed again and classified on their own evidence
        List<ProbeRequest> again = detector.probeRequests();
        assertThat(again).extracting(ProbeRequest::getHost).containsExactlyInAnyOrder("az1-host-5", "az1-host-8");
        assertThat(detector.domain("az1").holding()).isFalse();
        answerAll(again);
        runFor(500);
        Map<String, HostState> latest = latestByHost(detector.hostStates());
        assertThat(latest.get("az1-host-0").getState()).isEqualTo(HostStatus.RUNNING);
        assertThat(latest.get("az1-host-5").getState()).isEqualTo(HostStatus.DEAD);
        assertThat(latest.get("az1-host-8").getState()).isEqualTo(HostStatus.DEAD);
    }

    @Test
    void shouldNotHoldASingleFailureAndForgetSettledFailuresAfterOneTimeout() {
        // given
        runFor(2000);

        // when: one az1 host dies, then another one much later
        alive.remove("az1-host-1");
        runFor(3500);
        answerAll(detector.probeRequests());
        runFor(5000);
        alive.remove("az1-host-2");
        runFor(3500);
        answerAll(detector.probeRequests());
        runFor(500);

        // then: each is its own failure, both DEAD; the first no longer counts
        Map<String, HostState> latest = latestByHost(detector.hostStates());
        assertThat(latest.values().stream()
                        .filter(s -> s.getState() == HostStatus.DEAD)
                        .map(HostState::getHost)
                        .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("az1-host-1", "az1-host-2");
        assertThat(detector.domain("az1")).isEqualTo(new DomainStatus(9, 1, false));
    }

    @Test
    void shouldCountASilentHostForTheGuardHalfATimeoutBeforeItIsSuspectedAndUncountItOnItsNextHeartbeat() {
        // given: last heartbeats at 1000
        runFor(2000);

        // when: az1-host-0 misses its heartbeats of 2000 and 3000 (silent for 2 s of its 3 s timeout)
        alive.remove("az1-host-0");
        runFor(2000);
        DomainStatus counted = detector.domain("az1");
        List<ProbeRequest> requests = detector.probeRequests();
        alive.add("az1-host-0");
        runFor(1000);

        // then: counted silent from 2500 (3 s timeout less the 1.5 s lead), not yet probed; live again afterwards
        assertThat(counted).isEqualTo(new DomainStatus(10, 1, false));
        assertThat(requests).isEmpty();
        assertThat(detector.domain("az1")).isEqualTo(new DomainStatus(10, 0, false));
        assertThat(detector.probeRequests()).isEmpty();
    }

    @Test
    void shouldHoldTheFirstHostOfAMassFailureWhoseProbesAnswerBeforeTheOthersAreDetected() {
        // given
        runFor(2000);
        detector.hostStates();

        // when: host-0 falls silent one heartbeat interval before three more of az1 (4 of 10 within one timeout),
        // and both probers condemn it before the others are even suspected
        alive.remove("az1-host-0");
        runFor(1000);
        List<String> others = List.of("az1-host-3", "az1-host-5", "az1-host-8");
        alive.removeAll(others);
        runFor(1500);
        answerAll(List.of(detector.singleProbeRequest()));
        List<HostState> beforeTheOthers = detector.hostStates();
        runFor(1000);
        answerAll(detector.probeRequests());
        runFor(1000);

        // then: held at once (the others were counted before their own timeouts), never DEAD
        assertThat(beforeTheOthers)
                .extracting(HostState::getReason)
                .containsExactly(StateReason.MASS_FAILURE_SUSPECTED);
        List<HostState> published = new ArrayList<>(beforeTheOthers);
        published.addAll(detector.hostStates());
        assertThat(published).extracting(HostState::getState).doesNotContain(HostStatus.DEAD);
        Map<String, HostState> latest = latestByHost(published);
        assertThat(latest.keySet()).containsExactlyInAnyOrder("az1-host-0", "az1-host-3", "az1-host-5", "az1-host-8");
        assertThat(latest.values()).extracting(HostState::getReason).containsOnly(StateReason.MASS_FAILURE_SUSPECTED);
    }
}
