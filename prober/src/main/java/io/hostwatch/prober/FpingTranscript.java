package io.hostwatch.prober;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one fping 5.x run in count mode ({@code fping -c N}, not {@code -q}, stderr merged into stdout) said about
 * each of its targets, read line by line as the lines come. fping pads the target name to the longest one, so the
 * name is everything before the first {@code " : "} (IPv6 addresses contain colons but no spaces).
 *
 * <p>FAILED needs positive evidence, as with iputils ping: fping exited normally (0 or 1), its summary says all
 * requests were sent and none answered, and at least one of them was reported {@code timed out}. The last condition is what
 * tells a silent host from a request that was never sent: with no route on the prober ("network is unreachable")
 * fping still counts the request in {@code xmt} but prints no {@code timed out} line, which must be ERROR (the
 * prober's own network), never FAILED (which feeds DEAD). Anything else without a reply is ERROR with fping's words.
 *
 * <p>Not thread-safe: one instance belongs to the thread reading one fping process.
 */
final class FpingTranscript {
    private static final Pattern REPLY =
            Pattern.compile("^(\\S+)\\s+: (duplicate for )?\\[(\\d+)\\], \\d+ bytes, ([0-9.]+) ms.*");
    private static final Pattern TIMEOUT = Pattern.compile("^(\\S+)\\s+: \\[(\\d+)\\], timed out.*");
    private static final Pattern SUMMARY = Pattern.compile("^(\\S+)\\s+: xmt/rcv/%loss = (\\d+)/(\\d+)/.*");
    private static final Pattern ICMP_ERROR = Pattern.compile("^(ICMP .+) from (\\S+) for ICMP Echo sent to (\\S+)$");
    private static final Pattern SEND_ERROR = Pattern.compile("^(\\S+): error while sending ping: (.*)$");

    private final int count;
    private final Map<String, Target> targets = new HashMap<>();
    private String lastOther = "";

    private static final class Target {
        private boolean replied;
        private int timeouts;
        private int sent = -1;
        private int received = -1;
        private String icmpError;
        private String sendError;
    }

    /** @param count the echo requests per target fping was told to send ({@code -c}) */
    FpingTranscript(int count) {
        this.count = count;
    }

    /**
     * Takes one line of output. Returns a target's outcome as soon as the line settles it: OK at its first echo
     * reply (a duplicate counts: the host answered), FAILED when its last request ({@code [count-1]}) has timed out
     * after every earlier one did, so a silent host's answer does not wait for the rest of its batch.
     */
    Optional<Settled> accept(String line) {
        Matcher reply = REPLY.matcher(line);
        if (reply.matches()) {
            Long rtt;
            try {
                rtt = Math.round(Double.parseDouble(reply.group(4)) * 1000);
            } catch (NumberFormatException e) {
                rtt = null;
            }
            Target target = target(reply.group(1));
            target.replied = true;
            return Optional.of(new Settled(reply.group(1), Outcomes.pingOk(PingMethod.ICMP, rtt, null)));
        }
        Matcher timeout = TIMEOUT.matcher(line);
        if (timeout.matches()) {
            Target target = target(timeout.group(1));
            target.timeouts++;
            if (!target.replied && target.timeouts == count && Integer.parseInt(timeout.group(2)) == count - 1) {
                return Optional.of(new Settled(timeout.group(1), failed(target, count)));
            }
            return Optional.empty();
        }
        Matcher summary = SUMMARY.matcher(line);
        if (summary.matches()) {
            Target target = target(summary.group(1));
            target.sent = Integer.parseInt(summary.group(2));
            target.received = Integer.parseInt(summary.group(3));
            return Optional.empty();
        }
        Matcher icmp = ICMP_ERROR.matcher(line);
        if (icmp.matches()) {
            target(icmp.group(3)).icmpError = icmp.group(1) + " from " + icmp.group(2);
            return Optional.empty();
        }
        Matcher send = SEND_ERROR.matcher(line);
        if (send.matches()) {
            target(send.group(1)).sendError = send.group(2);
            return Optional.empty();
        }
        if (!line.isBlank()) {
            lastOther = line.strip();
        }
        return Optional.empty();
    }

    /** A target's outcome, decided by one line of output. */
    record Settled(String target, PingOutcome outcome) {}

    private static PingOutcome failed(Target target, int sent) {
        String icmp = target.icmpError == null ? "" : " (" + target.icmpError + ")";
        return Outcomes.pingFailed(
                PingMethod.ICMP, String.format(Locale.ROOT, "no echo reply to %d requests%s", sent, icmp));
    }

    /**
     * The outcome for a target that never replied, once fping has ended with {@code exitCode} (a negative value:
     * it was killed or could not be waited for).
     */
    PingOutcome unanswered(String address, int exitCode) {
        Target target = targets.get(address);
        boolean normalExit = exitCode == 0 || exitCode == 1;
        if (target != null && target.sendError != null) {
            return Outcomes.pingError(PingMethod.ICMP, "fping could not send: " + target.sendError);
        }
        // every request sent: an fping interrupted (SIGINT) after one attempt also exits 1 with a summary
        if (normalExit && target != null && target.sent == count && target.received == 0 && target.timeouts > 0) {
            String icmp = target.icmpError == null ? "" : " (" + target.icmpError + ")";
            return Outcomes.pingFailed(
                    PingMethod.ICMP, String.format(Locale.ROOT, "no echo reply to %d requests%s", target.sent, icmp));
        }
        if (normalExit && target != null && target.received > 0) {
            // a reply fping counted but whose line was not readable: still an answer
            return Outcomes.pingOk(
                    PingMethod.ICMP, null, target.received + " of " + target.sent + " echo requests answered");
        }
        if (normalExit && target != null && target.sent > 0 && target.timeouts == 0) {
            return Outcomes.pingError(
                    PingMethod.ICMP,
                    "fping sent " + target.sent + " requests but reported none as timed out (no route from the "
                            + "prober? network unreachable)");
        }
        String how = exitCode < 0 ? "fping was stopped" : "fping exited with " + exitCode;
        return Outcomes.pingError(
                PingMethod.ICMP,
                how + " without a result for " + address + ": " + (lastOther.isEmpty() ? "no output" : lastOther));
    }

    private Target target(String name) {
        return targets.computeIfAbsent(name, key -> new Target());
    }
}
