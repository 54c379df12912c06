package io.hostwatch.testkit.netns;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A process running inside a test host's network namespace ({@code ip netns exec NS ...}, which execs the
 * command, so this is the command's own process). Closing it stops it; the owning {@link TestNetwork} also kills
 * whatever is left in the namespace when it closes.
 */
public final class NamespaceProcess implements AutoCloseable {
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final String namespace;
    private final Process process;
    private final Path logFile;

    NamespaceProcess(String namespace, Process process, Path logFile) {
        this.namespace = namespace;
        this.process = process;
        this.logFile = logFile;
    }

    public String namespace() {
        return namespace;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where stdout and stderr go. */
    public Path logFile() {
        return logFile;
    }

    /** The underlying process, e.g. to write to its stdin or wait for it. */
    public Process process() {
        return process;
    }

    /** SIGKILL to the process and its descendants: a crash, as {@code kill -9} does it. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(DEFAULT_GRACE);
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(grace)) {
            kill();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** @return true if the process exited within {@code timeout} */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }

    @Override
    public String toString() {
        return "pid " + pid() + " in " + namespace;
    }
}
