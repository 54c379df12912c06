package io.hostwatch.runtime.cli;

/**
 * Why a running service ended without being asked to.
 *
 * @param exitCode what the process exits with ({@link ExitCode#FAILED} or {@link ExitCode#USAGE})
 * @param reason one line for stderr
 */
public record Stopped(int exitCode, String reason) {
    /** A runtime failure: a restart may help. */
    public static Stopped failed(String reason) {
        return new Stopped(ExitCode.FAILED, reason);
    }

    /** The configuration was refused once it was used (e.g. by a Kafka client): a restart cannot help. */
    public static Stopped badConfig(String reason) {
        return new Stopped(ExitCode.USAGE, "invalid configuration: " + reason);
    }
}
