package io.hostwatch.quickstart;

import io.hostwatch.schema.HostStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What Nova should show for a verdict, and the quick start's lines saying whether it does. The rule is
 * hostwatch-nova's (deploy/README.md): every non-RUNNING state disables the service with the reason
 * {@code hostwatch: STATE/REASON since ...}; only DEAD also forces it down (ISOLATED is held: no fence command runs
 * here); RUNNING enables it again.
 *
 * @param nova empty without {@code --nova}: then there is nothing to report
 */
record NovaView(Optional<NovaDemo> nova) implements AutoCloseable {
    static final NovaView NONE = new NovaView(Optional.empty());
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final String PREFIX = "hostwatch: ";

    /** The Nova service view that reflects expected; RUNNING (with or without a condition) leaves it enabled. */
    static Predicate<NovaDemo.ServiceView> reflects(FaultScenario.Expectation expected) {
        if (expected.state() == HostStatus.RUNNING) {
            return view -> view.enabled() && !view.forcedDown();
        }
        String reason = PREFIX + expected.state() + "/" + expected.reason();
        boolean forced = expected.state() == HostStatus.DEAD;
        return view -> !view.enabled()
                && view.disabledReason() != null
                && view.disabledReason().startsWith(reason)
                && view.forcedDown() == forced;
    }

    static String describe(FaultScenario.Expectation expected) {
        if (expected.state() == HostStatus.RUNNING) {
            return "enabled";
        }
        return "disabled" + (expected.state() == HostStatus.DEAD ? ", forced_down" : "") + ", reason \"" + PREFIX
                + expected.state() + "/" + expected.reason() + " since ...\"";
    }

    /** While the fault lasts: waits for Nova to reflect the verdict, one line per host. */
    List<String> report(FaultScenario scenario) throws InterruptedException {
        return lines(scenario, scenario.expected());
    }

    /** After the repair: waits for Nova to show each host enabled again. */
    List<String> reportRecovery(FaultScenario scenario) throws InterruptedException {
        return lines(
                scenario,
                FaultScenario.expect(HostStatus.RUNNING, scenario.expected().reason()));
    }

    private List<String> lines(FaultScenario scenario, FaultScenario.Expectation expected) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        if (nova.isEmpty()) {
            return lines;
        }
        for (String host : scenario.hosts()) {
            Optional<NovaDemo.ServiceView> view = nova.get().await(host, reflects(expected), CONVERGE);
            boolean ok = view.filter(reflects(expected)).isPresent();
            lines.add("NOVA   " + host + ": " + view.map(Object::toString).orElse("no answer")
                    + (ok ? "" : "  NOT as expected after " + CONVERGE.toSeconds() + " s: " + describe(expected)));
        }
        return lines;
    }

    @Override
    public void close() {
        nova.ifPresent(NovaDemo::close);
    }
}
