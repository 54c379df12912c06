package io.hostwatch.prober;

import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads iputils ping's output. FAILED needs positive evidence: ping's own statistics line saying requests were
 * sent and none answered. Anything else that is not a reply (unknown host, network unreachable, a bad option,
 * a killed process) is ERROR with ping's last words as detail.
 */
final class IcmpReplies {
    private static final Pattern REPLY_TIME = Pattern.compile("bytes from .*time[=<]([0-9.]+) ?ms");
    private static final Pattern STATISTICS = Pattern.compile("(\\d+) packets transmitted, (\\d+) (packets )?received");

    private IcmpReplies() {}

    /** The round-trip time in microseconds if {@code line} is an echo reply. */
    static Optional<Long> replyRttMicros(String line) {
        Matcher matcher = REPLY_TIME.matcher(line);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Math.round(Double.parseDouble(matcher.group(1)) * 1000));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Classifies a ping run that ended without a reply line having been seen. */
    static PingOutcome classifyExit(int exitCode, String output) {
        Matcher stats = STATISTICS.matcher(output);
        if (stats.find()) {
            int sent = Integer.parseInt(stats.group(1));
            int received = Integer.parseInt(stats.group(2));
            if (received > 0) {
                return Outcomes.pingOk(PingMethod.ICMP, null, received + " of " + sent + " echo requests answered");
            }
            if (sent > 0 && exitCode == 1) {
                String unreachable = output.contains("Destination Host Unreachable") ? " (host unreachable)" : "";
                return Outcomes.pingFailed(
                        PingMethod.ICMP,
                        String.format(Locale.ROOT, "no echo reply to %d requests%s", sent, unreachable));
            }
        }
        return Outcomes.pingError(PingMethod.ICMP, "ping exited with " + exitCode + ": " + lastLine(output));
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        return last.isEmpty() ? "no output" : last;
    }
}
