package io.hostwatch.quickstart;

import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges one faulty host from the events published for it between the fault's injection and its repair, in arrival
 * order. Pure: events in, judgement out.
 *
 * <p>The rule:
 *
 * <ul>
 *   <li>The expected verdict must arrive (else it is <em>missing</em>).
 *   <li>Before it, only {@code RUNNING} events are allowed: heartbeats go on until the fault shows, and the host is
 *       not yet silent. Any other state is wrong.
 *   <li>From the expected verdict until the repair, every event must still match it: a change to another state, or
 *       back to {@code RUNNING}, is a <em>flip</em> and wrong.
 *   <li>{@code UNKNOWN} with a reason other than the expected one counts against the run as <em>inconclusive</em>,
 *       also when the expected verdict is itself {@code UNKNOWN} (e.g. {@code MASS_FAILURE_SUSPECTED}: an
 *       {@code UNKNOWN/PROBE_TIMEOUT} there is not the guard at work). There is no "transient" {@code UNKNOWN} to
 *       forgive: per the contract (section 5) the detector publishes nothing while a host is {@code PROBING}; it
 *       publishes {@code UNKNOWN/PROBE_TIMEOUT} only after {@code probe.attempts} requests went unanswered and an
 *       inconclusive {@code UNKNOWN} only after the quorum or the collection window. Such an event is a verdict Nova
 *       reads, so a run that produced one did not reach the right verdict cleanly.
 * </ul>
 *
 * A host passes only if nothing was missing, wrong, flipped or inconclusive.
 */
final class VerdictJudge {
    private VerdictJudge() {}

    /** What one host's events amount to. {@code verdict} is the first event matching the expectation. */
    record Judgement(
            String host,
            Optional<HostState> verdict,
            List<HostState> wrong,
            List<HostState> flips,
            List<HostState> inconclusive) {
        boolean passed() {
            return verdict.isPresent() && wrong.isEmpty() && flips.isEmpty() && inconclusive.isEmpty();
        }

        /** Why it did not pass, one line per problem; empty if it passed. */
        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (verdict.isEmpty()) {
                problems.add(host + ": expected verdict missing");
            }
            wrong.forEach(s -> problems.add(host + ": wrong verdict before the expected one: " + describe(s)));
            flips.forEach(s -> problems.add(host + ": flipped away from the expected verdict: " + describe(s)));
            inconclusive.forEach(s -> problems.add(host + ": inconclusive verdict: " + describe(s)));
            return problems;
        }
    }

    /**
     * @param events the host's events published after the injection and before the repair started, in arrival order
     */
    static Judgement judge(String host, FaultScenario.Expectation expected, List<HostState> events) {
        HostState verdict = null;
        List<HostState> wrong = new ArrayList<>();
        List<HostState> flips = new ArrayList<>();
        List<HostState> inconclusive = new ArrayList<>();
        for (HostState event : events) {
            if (expected.matches(event)) {
                if (verdict == null) {
                    verdict = event;
                }
            } else if (event.getState() == HostStatus.UNKNOWN) {
                inconclusive.add(event);
            } else if (verdict != null) {
                flips.add(event);
            } else if (event.getState() != HostStatus.RUNNING) {
                wrong.add(event);
            }
        }
        return new Judgement(
                host, Optional.ofNullable(verdict), List.copyOf(wrong), List.copyOf(flips), List.copyOf(inconclusive));
    }

    static String describe(HostState state) {
        return state.getState() + "/" + state.getReason() + " " + state.getConditions() + " (previous "
                + state.getPreviousState() + ", evidence " + state.getEvidence() + ")";
    }
}
