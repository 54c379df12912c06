package io.hostwatch.detector;

/**
 * Why a heartbeat was rejected before it touched any state: the {@code hostwatch.dlq.reason} header of its dead
 * letter and the {@code reason} label of {@code hostwatch_detector_heartbeats_rejected_total} (contract section 11).
 */
public enum HeartbeatRejection {
    /** A record without a value (a tombstone, or zero bytes): no hostwatch message. */
    EMPTY_VALUE("empty-value"),
    KEY_MISMATCH("key-mismatch"),
    INVALID_HOST_ID("invalid-host-id"),
    INVALID_ADDRESS("invalid-address"),
    INVALID_SEQUENCE("invalid-sequence"),
    INVALID_INTERVAL("invalid-interval"),
    /** agentInstance, agentVersion or failureDomain longer than 255 characters. */
    INVALID_FIELD("invalid-field"),
    UNAUTHENTICATED("unauthenticated"),
    UNKNOWN_KEY_ID("unknown-key-id"),
    BAD_AUTHENTICATOR("bad-authenticator"),
    REPLAYED("replayed"),
    CLOCK_SKEW("clock-skew");

    private final String label;

    HeartbeatRejection(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
