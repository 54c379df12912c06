package io.hostwatch.testkit.netns;

/** Exit code and output of a command the harness ran to completion. */
public record CommandResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
