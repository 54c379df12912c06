package io.hostwatch.quickstart;

import static io.hostwatch.quickstart.FaultScenario.expect;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The seed's table, and the rows around it, as real faults on test hosts. Each scenario uses its own hosts so a
 * slow recovery of one cannot colour the verdict of the next.
 */
final class FaultMatrix {
    /**
     * The agent settings of a host that declares itself isolated before the detector's first probe reads its storage
     * heartbeat (3 s after its last heartbeat with the default profile), so the published {@code ISOLATED} carries
     * {@code SELF_ISOLATION_CONFIRMED}. The agent only checks its isolation addresses after two heartbeat intervals
     * without an acknowledgement and declares isolation {@code isolation.timeout.ms} after the last address answer,
     * so with 1 s heartbeats its marker lands after 4 s at the earliest, always too late: this host heartbeats every
     * 250 ms (the detector does not read the interval) and gives up on its gateway after 500 ms (the minimum, two
     * intervals), which puts the marker in its file about 1.5 s after the link went down.
     */
    static final Map<String, String> SELF_ISOLATING_AGENT = Map.of(
            "heartbeat.interval.ms", "250",
            "isolation.timeout.ms", "500",
            "isolation.check.interval.ms", "250");

    /** An agent that keeps both heartbeats while its service is down, saying {@code serviceStatus=DOWN}. */
    static final Map<String, String> REPORT_DOWN_AGENT = Map.of("service.down.action", "report-down");

    /** Two failure domains of five hosts: one fault in a domain is 20 %, two at once are 40 % (> 30 % guard). */
    static final List<HostSpec> HOSTS = List.of(
            new HostSpec("compute-01", "az-1"),
            new HostSpec("compute-02", "az-1", SELF_ISOLATING_AGENT),
            new HostSpec("compute-03", "az-1"),
            new HostSpec("compute-04", "az-1"),
            new HostSpec("compute-05", "az-1"),
            new HostSpec("compute-06", "az-2"),
            new HostSpec("compute-07", "az-2"),
            new HostSpec("compute-08", "az-2", REPORT_DOWN_AGENT),
            new HostSpec("compute-09", "az-2"),
            new HostSpec("compute-10", "az-2"));

    private FaultMatrix() {}

    static FaultScenario serviceCrash(String host) {
        return new FaultScenario(
                "service-crash",
                "kill -9 the agent and its watched service on " + host,
                List.of(host),
                expect(HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_PROCESS_CRASHED),
                p -> p.host(host).killAgentAndService(),
                p -> p.host(host).start());
    }

    static FaultScenario isolated(String host) {
        return new FaultScenario(
                "isolated",
                "take the network link of " + host + " down (agent keeps writing storage)",
                List.of(host),
                expect(HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE),
                p -> p.host(host).linkDown(),
                p -> p.host(host).linkUp());
    }

    /** {@link #isolated} on a host with {@link #SELF_ISOLATING_AGENT}: the verdict must carry the agent's marker. */
    static FaultScenario selfIsolated(String host) {
        return new FaultScenario(
                "self-isolated",
                "take the network link of " + host + " down; its agent declares itself isolated before the probe",
                List.of(host),
                expect(HostStatus.ISOLATED, StateReason.NETWORK_UNREACHABLE, HostCondition.SELF_ISOLATION_CONFIRMED),
                p -> p.host(host).linkDown(),
                p -> p.host(host).linkUp());
    }

    /** On a host with {@link #REPORT_DOWN_AGENT}: the agent lives and heartbeats, its service does not. */
    static FaultScenario serviceReportedDown(String host) {
        return new FaultScenario(
                "service-reported-down",
                "kill -9 only the watched service of " + host + " (its agent reports it DOWN and keeps heartbeating)",
                List.of(host),
                expect(HostStatus.SERVICE_UNREACHABLE, StateReason.SERVICE_REPORTED_DOWN),
                p -> p.host(host).killService(),
                p -> p.host(host).restartService());
    }

    /**
     * The probers lose the shared storage (their mount point goes empty, as an unmounted share leaves it) and then a
     * host loses power: they can ping it (FAILED) but not read its storage heartbeat (ERROR), which is no evidence
     * for DEAD. The share comes back only after the host is up again, so no re-probe can see the old file.
     */
    static FaultScenario storageUnavailableToProbers(String host) {
        return new FaultScenario(
                "storage-unavailable-to-probers",
                "unmount the shared storage on the probers, then power off " + host,
                List.of(host),
                expect(HostStatus.UNKNOWN, StateReason.PROBE_INCONCLUSIVE),
                p -> {
                    p.unmountProberStorage();
                    p.host(host).powerOff();
                },
                p -> {
                    p.host(host).linkUp();
                    p.host(host).start();
                    new ScenarioRunner(p, Duration.ZERO, Duration.ZERO)
                            .awaitHealthy(List.of(host), Duration.ofSeconds(60));
                    p.mountProberStorage();
                    p.services().awaitProbersSeeStorage(Duration.ofSeconds(30));
                });
    }

    static FaultScenario dead(String host) {
        return new FaultScenario(
                "dead",
                "power off " + host + ": freeze its processes, take its link down, kill them",
                List.of(host),
                expect(HostStatus.DEAD, StateReason.HARDWARE_FAILURE_OR_SHUTDOWN),
                p -> p.host(host).powerOff(),
                p -> {
                    p.host(host).linkUp();
                    p.host(host).start();
                });
    }

    static FaultScenario partitioned(String host) {
        return new FaultScenario(
                "partitioned",
                "drop only the traffic between " + host + " and the broker port",
                List.of(host),
                expect(HostStatus.PARTITIONED, StateReason.HEARTBEAT_PATH_BROKEN),
                p -> p.host(host).blockBroker(p.brokerPort()),
                p -> p.host(host).unblockBroker(p.brokerPort()));
    }

    static FaultScenario storageDegraded(String host) {
        return new FaultScenario(
                "storage-degraded",
                "make the storage heartbeat of " + host + " unwritable",
                List.of(host),
                expect(HostStatus.RUNNING, StateReason.STORAGE_WRITE_FAILING, HostCondition.STORAGE_DEGRADED),
                p -> p.host(host).freezeStorage(),
                p -> p.host(host).thawStorage());
    }

    static FaultScenario massFailure(String first, String second) {
        return new FaultScenario(
                "mass-failure",
                "cut " + first + " and " + second + " (40 % of their failure domain) at once",
                List.of(first, second),
                expect(HostStatus.UNKNOWN, StateReason.MASS_FAILURE_SUSPECTED),
                p -> {
                    for (String host : List.of(first, second)) {
                        p.host(host).powerOff();
                    }
                },
                p -> {
                    for (String host : List.of(first, second)) {
                        p.host(host).linkUp();
                        p.host(host).start();
                    }
                });
    }

    /** The demo's walk-through, one scenario per host of {@link #HOSTS}. */
    static List<FaultScenario> walkThrough() {
        return List.of(
                serviceCrash("compute-01"),
                selfIsolated("compute-02"),
                dead("compute-03"),
                partitioned("compute-04"),
                storageDegraded("compute-05"),
                massFailure("compute-06", "compute-07"),
                serviceReportedDown("compute-08"),
                storageUnavailableToProbers("compute-09"));
    }
}
