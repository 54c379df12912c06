package io.hostwatch.agent.isolation;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One ICMP echo through the system {@code ping} command, which is allowed to send ICMP without the agent being
 * root (setuid, file capabilities or unprivileged ICMP sockets). Exit 0 means an echo reply came back.
 */
public final class PingReachabilityProbe implements ReachabilityProbe {
    /** The PATH when the environment has none (as systemd sets it). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path ping;

    public PingReachabilityProbe(Path ping) {
        this.ping = ping;
    }

    /**
     * The {@code ping} executable on the PATH, if any: only the PATH (a default one when it is unset), as a shell
     * would, so that an operator who takes ping off the PATH really turns it off.
     */
    public static Optional<Path> findPing() {
        String path = System.getenv().getOrDefault("PATH", DEFAULT_PATH);
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "ping");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public Outcome probe(IsolationAddress address, Duration timeout) throws InterruptedException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        ProcessBuilder builder = new ProcessBuilder(
                        List.of(ping.toString(), "-n", "-q", "-c", "1", "-W", Long.toString(seconds), address.host()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Outcome(false, "cannot run " + ping + ": " + e.getMessage());
        }
        if (!process.waitFor(seconds * 1000 + 1000, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return new Outcome(false, "ping did not finish");
        }
        int exit = process.exitValue();
        return new Outcome(exit == 0, exit == 0 ? "echo reply" : "no echo reply (ping exit " + exit + ")");
    }

    @Override
    public String method() {
        return "ping";
    }
}
