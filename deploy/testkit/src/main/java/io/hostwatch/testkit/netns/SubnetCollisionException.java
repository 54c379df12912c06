package io.hostwatch.testkit.netns;

/** The test subnet would overlap a network this machine already uses: the harness refuses to run. */
public class SubnetCollisionException extends IllegalStateException {
    public SubnetCollisionException(String message) {
        super(message);
    }
}
