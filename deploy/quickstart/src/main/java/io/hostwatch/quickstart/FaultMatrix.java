package io.hostwatch.quickstart;

import static io.hostwatch.quickstart.FaultScenario.expect;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.util.List;

/**
 * The seed's table, and the rows around it, as real faults on test hosts. Each scenario uses its own hosts so a
 * slow recovery of one cannot colour the verdict of the next.
 */
final class FaultMatrix {
    /** Two failure domains of five hosts: one fault in a domain is 20 %, two at once are 40 % (> 30 % guard). */
    static final List<HostSpec> HOSTS = List.of(
            new HostSpec("compute-01", "az-1"),
            new HostSpec("compute-02", "az-1"),
            new HostSpec("compute-03", "az-1"),
            new HostSpec("compute-04", "az-1"),
            new HostSpec("compute-05", "az-1"),
            new HostSpec("compute-06", "az-2"),
            new HostSpec("compute-07", "az-2"),
            new HostSpec("compute-08", "az-2"),
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
                isolated("compute-02"),
                dead("compute-03"),
                partitioned("compute-04"),
                storageDegraded("compute-05"),
                massFailure("compute-06", "compute-07"));
    }
}
