package io.hostwatch.runtime.cli;

/**
 * The exit codes of every hostwatch command. systemd units rely on them: {@code RestartPreventExitStatus=2} keeps a
 * bad configuration from restarting in a loop, while a runtime failure (1) is restarted.
 */
public final class ExitCode {
    /** Done, or stopped on request (SIGTERM, SIGINT). */
    public static final int OK = 0;
    /** Could not start, or failed while running; a restart may help. */
    public static final int FAILED = 1;
    /** Bad command line or configuration; the message names the option or key. A restart cannot help. */
    public static final int USAGE = 2;

    private ExitCode() {}
}
