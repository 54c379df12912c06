package io.hostwatch.agent.isolation;

import java.time.Duration;

/**
 * The self-isolation rule, free of threads and clocks: a host is isolated when for {@code timeout} no heartbeat
 * was acknowledged by Kafka AND no isolation address answered. It stops being isolated as soon as either works
 * again. Silence the agent chose (it sent nothing, every host's service gate being silent) is no evidence against
 * Kafka, so Kafka's silence counts only from its end; it is no evidence for Kafka either, so it never ends an
 * isolation (nothing sent, nothing acknowledged: only an address answering can). Time is
 * {@link System#nanoTime()}-style nanoseconds supplied by the caller.
 */
public final class IsolationDetector {

    /** What one evaluation changed. */
    public enum Transition {
        NONE,
        ISOLATED,
        RECOVERED
    }

    private final long timeoutNanos;
    private final long kafkaSilentAfterNanos;
    private long lastAddressAnswerNanos;
    private boolean isolated;

    /**
     * @param kafkaSilentAfter how long without an acknowledgement before addresses are worth checking
     * @param startNanos       the agent's start: before it nothing is known, so nothing counts as silence
     */
    public IsolationDetector(Duration timeout, Duration kafkaSilentAfter, long startNanos) {
        this.timeoutNanos = timeout.toNanos();
        this.kafkaSilentAfterNanos = kafkaSilentAfter.toNanos();
        this.lastAddressAnswerNanos = startNanos;
    }

    /**
     * Whether isolation addresses should be probed now (only while Kafka is silent: no load on gateways otherwise).
     *
     * @param lastChosenSilenceNanos the last moment the agent sent nothing by choice, {@code Long.MIN_VALUE} if never
     */
    public boolean shouldProbe(long nowNanos, long lastKafkaAckNanos, long lastChosenSilenceNanos) {
        return nowNanos - kafkaSilentSince(lastKafkaAckNanos, lastChosenSilenceNanos) >= kafkaSilentAfterNanos;
    }

    /**
     * @param lastChosenSilenceNanos the last moment the agent sent nothing by choice, {@code Long.MIN_VALUE} if never
     * @param addressAnswered        true if an isolation address answered in this round, false if all were probed
     *                               and none did; null if they were not probed because Kafka is not silent
     */
    public Transition update(
            long nowNanos, long lastKafkaAckNanos, long lastChosenSilenceNanos, Boolean addressAnswered) {
        if (addressAnswered == null || addressAnswered) {
            lastAddressAnswerNanos = nowNanos;
        }
        boolean kafkaLost = nowNanos - kafkaSilentSince(lastKafkaAckNanos, lastChosenSilenceNanos) >= timeoutNanos;
        boolean addressesLost = nowNanos - lastAddressAnswerNanos >= timeoutNanos;
        boolean nowIsolated = kafkaLost && addressesLost;
        if (nowIsolated == isolated) {
            return Transition.NONE;
        }
        isolated = nowIsolated;
        return nowIsolated ? Transition.ISOLATED : Transition.RECOVERED;
    }

    private long kafkaSilentSince(long lastKafkaAckNanos, long lastChosenSilenceNanos) {
        return isolated ? lastKafkaAckNanos : Math.max(lastKafkaAckNanos, lastChosenSilenceNanos);
    }

    public boolean isolated() {
        return isolated;
    }
}
