package io.hostwatch.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An operator-supplied command run with {@code /bin/sh -c}, killed (with its children) when it outlives its
 * timeout. Used for service checks and isolation responses, always off the heartbeat thread.
 */
public final class ShellCommand {
    private final String command;
    private final Duration timeout;
    private final boolean inheritOutput;

    /** @param inheritOutput true: the command's output goes to the agent's stdout (journald); false: discarded */
    public ShellCommand(String command, Duration timeout, boolean inheritOutput) {
        this.command = command;
        this.timeout = timeout;
        this.inheritOutput = inheritOutput;
    }

    /** How a run ended: an exit code, a timeout, or a failure to start. */
    public record Outcome(int exitCode, boolean timedOut, String startFailure) {
        static Outcome exited(int code) {
            return new Outcome(code, false, null);
        }

        static Outcome timeout() {
            return new Outcome(-1, true, null);
        }

        static Outcome notStarted(String why) {
            return new Outcome(-1, false, why);
        }

        public boolean exited() {
            return !timedOut && startFailure == null;
        }

        public String describe() {
            if (timedOut) {
                return "timed out";
            }
            return startFailure != null ? "could not start: " + startFailure : "exit " + exitCode;
        }
    }

    public String command() {
        return command;
    }

    public Outcome run(Map<String, String> env) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (inheritOutput) {
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Outcome.notStarted(e.getMessage());
        }
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Outcome.exited(process.exitValue());
            }
            kill(process);
            return Outcome.timeout();
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
