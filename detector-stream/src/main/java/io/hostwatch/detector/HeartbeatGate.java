package io.hostwatch.detector;

import io.hostwatch.auth.AuthMode;
import io.hostwatch.auth.Verifier;
import io.hostwatch.input.InputRules;
import io.hostwatch.schema.Heartbeat;

/**
 * Admits a heartbeat or rejects it before it touches any state (contract section 11): input rules always, then the
 * authenticator as {@code heartbeat.authentication} says, then, for an authenticated heartbeat, replay rules
 * against what the host's record remembers. Thread-safe: one gate serves every task.
 */
final class HeartbeatGate {
    /** Longest agentInstance, agentVersion and failureDomain: they are stored per host and shown to operators. */
    static final int MAX_FIELD_LENGTH = 255;

    private final AuthMode mode;
    private final Verifier verifier;
    private final long maxClockSkewMs;

    HeartbeatGate(HeartbeatAuth auth) {
        this.mode = auth.mode();
        this.verifier = auth.verifier();
        this.maxClockSkewMs = auth.maxClockSkewMs();
    }

    AuthMode mode() {
        return mode;
    }

    /**
     * The checks that need no state.
     *
     * @return whether the heartbeat is authenticated (then {@link #checkReplay} applies)
     * @throws HeartbeatRejectedException with the reason
     */
    boolean admit(String key, Heartbeat heartbeat, long brokerTime) {
        String host = heartbeat.getHost();
        if (!InputRules.validHostId(host)) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.INVALID_HOST_ID,
                    "host id of "
                            + host.length() + " characters is not 1 to " + InputRules.MAX_HOST_ID_LENGTH
                            + " letters, digits, '.', '_' or '-'");
        }
        if (!host.equals(key)) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.KEY_MISMATCH, "record key differs from the heartbeat's host " + host);
        }
        if (!InputRules.validAddress(heartbeat.getAddress())) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.INVALID_ADDRESS, "address of " + host + " is not an IP literal");
        }
        if (heartbeat.getSequence() < 0) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.INVALID_SEQUENCE, "negative sequence " + heartbeat.getSequence());
        }
        if (heartbeat.getIntervalMs() <= 0) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.INVALID_INTERVAL, "interval " + heartbeat.getIntervalMs() + " ms");
        }
        if (tooLong(heartbeat.getAgentInstance())
                || tooLong(heartbeat.getAgentVersion())
                || tooLong(heartbeat.getFailureDomain())) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.INVALID_FIELD,
                    "agentInstance, agentVersion and failureDomain take at most " + MAX_FIELD_LENGTH + " characters");
        }
        if (mode == AuthMode.OFF) {
            return false;
        }
        switch (verifier.verify(heartbeat)) {
            case VALID:
                break;
            case UNAUTHENTICATED:
                if (mode == AuthMode.REQUIRED) {
                    throw new HeartbeatRejectedException(
                            HeartbeatRejection.UNAUTHENTICATED, "no authenticator from " + host);
                }
                return false;
            case UNKNOWN_KEY_ID:
                throw new HeartbeatRejectedException(
                        HeartbeatRejection.UNKNOWN_KEY_ID,
                        "key id '" + heartbeat.getKeyId() + "' is not one of " + verifier.keyIds());
            default:
                throw new HeartbeatRejectedException(
                        HeartbeatRejection.BAD_AUTHENTICATOR, "authenticator does not verify for host " + host);
        }
        long skew = heartbeat.getSentAt().toEpochMilli() - brokerTime;
        if (Math.abs(skew) > maxClockSkewMs) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.CLOCK_SKEW,
                    "sentAt is " + skew + " ms from broker time, more than heartbeat.max.clock.skew.ms");
        }
        return true;
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_FIELD_LENGTH;
    }

    /**
     * An authenticated heartbeat must be newer than the last one applied: a later sequence of the same agent
     * instance, or a later {@code sentAt} from a new instance (an older instance's heartbeat is a replay).
     */
    static void checkReplay(HostRecord prior, Heartbeat heartbeat) {
        if (prior == null || prior.heartbeatSequence == HostRecord.UNSET) {
            return;
        }
        if (prior.agentInstance.equals(heartbeat.getAgentInstance())) {
            if (heartbeat.getSequence() <= prior.heartbeatSequence) {
                throw new HeartbeatRejectedException(
                        HeartbeatRejection.REPLAYED,
                        "sequence " + heartbeat.getSequence() + " of agent instance " + heartbeat.getAgentInstance()
                                + " is not after " + prior.heartbeatSequence);
            }
        } else if (heartbeat.getSentAt().toEpochMilli() <= prior.heartbeatSentAt) {
            throw new HeartbeatRejectedException(
                    HeartbeatRejection.REPLAYED,
                    "agent instance " + heartbeat.getAgentInstance() + " sent it before the last heartbeat applied");
        }
    }
}
