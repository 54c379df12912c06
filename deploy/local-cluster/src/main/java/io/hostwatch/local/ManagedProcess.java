package io.hostwatch.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM (or any command) whose output goes to a log file and which stops when asked, when this JVM exits,
 * and, when started through {@link OrphanGuard}, when this JVM dies without a chance to clean up. The one process
 * wrapper of the local cluster, the test kit (processes in a test host's network namespace) and the quick start.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(() -> stop(Duration.ofSeconds(10)), "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code command} in {@code workDir}, stdout and stderr appended to {@code logFile}. */
    public static ManagedProcess start(
            String name, List<String> command, Path workDir, Path logFile, Map<String, String> extraEnv)
            throws IOException {
        Files.createDirectories(workDir);
        return start(name, command, new ProcessBuilder(command).directory(workDir.toFile()), logFile, extraEnv);
    }

    /** Starts {@code command} in this JVM's working directory, stdout and stderr appended to {@code logFile}. */
    public static ManagedProcess start(String name, List<String> command, Path logFile, Map<String, String> extraEnv)
            throws IOException {
        return start(name, command, new ProcessBuilder(command), logFile, extraEnv);
    }

    private static ManagedProcess start(
            String name, List<String> command, ProcessBuilder builder, Path logFile, Map<String, String> extraEnv)
            throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // stdin stays a pipe: OrphanGuard in the child exits when it closes, i.e. when we die.
        builder.environment().putAll(extraEnv);
        LOG.debug("Starting {}: {}", name, command);
        return new ManagedProcess(name, builder.start(), logFile);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Runs {@code command} to completion within {@code timeout}; throws with the log tail on non-zero exit. */
    public static void runToCompletion(String name, List<String> command, Path workDir, Path logFile, Duration timeout)
            throws IOException, InterruptedException {
        try (ManagedProcess p = start(name, command, workDir, logFile, Map.of())) {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeout + "; log: " + logFile);
            }
            if (p.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed with exit code " + p.process.exitValue()
                        + "; last lines of " + logFile + ":\n" + p.logTail(30));
            }
        }
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    /** The last {@code lines} lines of any log file, for error messages; says so if it cannot be read. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Asks the process to stop (SIGTERM), waits up to {@code grace}, then kills it. Idempotent. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        LOG.debug("Stopping {} (pid {})", name, process.pid());
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {}; killing it", name, process.pid(), grace);
                process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        closeQuietly(process.getOutputStream());
    }

    /**
     * Kills the process and its descendants at once (SIGKILL), as a crash or power loss would, and waits up to 30 s
     * for it to be gone. An interrupt stops the wait, not the kill.
     */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The exit code; {@link IllegalThreadStateException} while the process runs. */
    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the child is gone; its stdin pipe may already be closed
        }
    }
}
