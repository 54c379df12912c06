package io.hostwatch.quickstart;

import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Runs a {@link FaultScenario} on a live pipeline: waits until its hosts are RUNNING, injects the fault, waits for
 * the expected verdict on {@code hostwatch.host-states}, repairs the fault and waits for RUNNING again. Records
 * fault-to-verdict latency and every verdict that was not the expected one.
 */
final class ScenarioRunner {
    private static final Duration POLL = Duration.ofMillis(20);

    /**
     * What happened in one run, the fault injected at {@code injectedAtNanos} ({@link System#nanoTime()}). {@code latency} is empty for a host whose verdict never came. {@code judgements}
     * hold, per host, every event between injection and repair judged by {@link VerdictJudge}: a wrong verdict is a
     * definite state other than the expected one before it or a flip away from it after it; UNKNOWN other than the
     * expected verdict is counted apart as {@code inconclusive}. Both fail the run.
     */
    record Outcome(
            FaultScenario scenario,
            long injectedAtNanos,
            Map<String, Optional<Duration>> latency,
            List<VerdictJudge.Judgement> judgements,
            boolean recovered) {
        List<HostState> wrongVerdicts() {
            return judgements.stream()
                    .flatMap(j -> Stream.concat(j.wrong().stream(), j.flips().stream()))
                    .toList();
        }

        List<HostState> inconclusive() {
            return judgements.stream().flatMap(j -> j.inconclusive().stream()).toList();
        }

        /** Every host got the expected verdict, nothing else arrived before the repair, and all recovered. */
        boolean passed() {
            return judgements.stream().allMatch(VerdictJudge.Judgement::passed) && recovered;
        }

        /** Why the run did not pass, one line per problem; empty if it passed. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            judgements.forEach(j -> problems.addAll(j.problems()));
            if (!recovered) {
                problems.add("not every host RUNNING again within the recovery timeout after the repair");
            }
            return problems;
        }
    }

    private final LocalPipeline pipeline;
    private final Duration verdictTimeout;
    private final Duration recoveryTimeout;

    ScenarioRunner(LocalPipeline pipeline, Duration verdictTimeout, Duration recoveryTimeout) {
        this.pipeline = pipeline;
        this.verdictTimeout = verdictTimeout;
        this.recoveryTimeout = recoveryTimeout;
    }

    Outcome run(FaultScenario scenario) throws Exception {
        return run(scenario, pipeline -> {});
    }

    /** @param whileFaulty runs after the verdicts arrived and before the fault is repaired (extra checks) */
    Outcome run(FaultScenario scenario, FaultScenario.Step whileFaulty) throws Exception {
        awaitHealthy(scenario.hosts(), recoveryTimeout);
        long injectedAt = System.nanoTime();
        scenario.inject().apply(pipeline);
        Map<String, Optional<Duration>> latency = new LinkedHashMap<>();
        for (String host : scenario.hosts()) {
            latency.put(
                    host,
                    awaitArrival(host, injectedAt, scenario.expected()::matches, verdictTimeout)
                            .map(arrival -> Duration.ofNanos(arrival.arrivedAtNanos() - injectedAt)));
        }
        whileFaulty.apply(pipeline);
        long recoveredFrom = System.nanoTime();
        List<VerdictJudge.Judgement> judgements = new ArrayList<>();
        for (String host : scenario.hosts()) {
            List<HostState> events = pipeline.board().arrivalsOf(host, injectedAt).stream()
                    .filter(arrival -> arrival.arrivedAtNanos() < recoveredFrom)
                    .map(HostStateBoard.Arrival::state)
                    .toList();
            judgements.add(VerdictJudge.judge(host, scenario.expected(), events));
        }
        scenario.recover().apply(pipeline);
        boolean recovered = true;
        for (String host : scenario.hosts()) {
            recovered &= awaitArrival(host, recoveredFrom, ScenarioRunner::healthy, recoveryTimeout)
                            .isPresent()
                    || pipeline.board()
                            .latest(host)
                            .filter(ScenarioRunner::healthy)
                            .isPresent();
        }
        return new Outcome(scenario, injectedAt, latency, List.copyOf(judgements), recovered);
    }

    /** Waits until every host's latest event is RUNNING with no condition. */
    void awaitHealthy(List<String> hosts, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String host : hosts) {
            while (pipeline.board().latest(host).filter(ScenarioRunner::healthy).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(host + " is not RUNNING after " + timeout + ": "
                            + pipeline.board()
                                    .latest(host)
                                    .map(Object::toString)
                                    .orElse("no event yet") + "\n"
                            + pipeline.diagnosis(host));
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    static boolean healthy(HostState state) {
        return state.getState() == HostStatus.RUNNING && state.getConditions().isEmpty();
    }

    private Optional<HostStateBoard.Arrival> awaitArrival(
            String host, long sinceNanos, Predicate<HostState> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<HostStateBoard.Arrival> match = pipeline.board().arrivalsOf(host, sinceNanos).stream()
                    .filter(arrival -> wanted.test(arrival.state()))
                    .findFirst();
            if (match.isPresent()) {
                return match;
            }
            Thread.sleep(POLL.toMillis());
        }
        return Optional.empty();
    }
}
