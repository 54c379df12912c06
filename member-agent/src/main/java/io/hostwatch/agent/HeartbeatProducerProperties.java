package io.hostwatch.agent;

import io.hostwatch.runtime.config.ClusterConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The heartbeat producer's properties: the agent's bounds, then the operator's {@code kafka.*} keys. The agent's
 * guarantees (send() never blocks, stale heartbeats are dropped instead of queued, retries neither duplicate nor
 * reorder, a link outage replays at most one request) rest on a few producer settings, so {@code kafka.*} may tune
 * anything but those; and the whole set is checked at config time, because a producer the KafkaProducer
 * constructor refuses would otherwise only fail later, on the control thread.
 */
final class HeartbeatProducerProperties {
    /** Producer keys the agent sets itself, with what an operator should know instead. */
    private static final Map<String, String> OWNED = Map.of(
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    "set by the agent; use " + MemberAgentConfig.HEARTBEAT_DELIVERY_TIMEOUT_MS_CONFIG + " instead",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "fixed at 0 by the agent: send() must never block the heartbeat thread",
            ProducerConfig.ACKS_CONFIG, "fixed at all by the agent: the idempotent producer needs it",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    "fixed at true by the agent: retries must neither duplicate nor " + "reorder heartbeats",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                    "fixed at 1 by the agent: it bounds what TCP " + "replays after a link outage to one request",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "heartbeats are not sent in transactions",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "fixed by the agent, which encodes heartbeats itself",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "fixed by the agent, which encodes heartbeats itself");

    private HeartbeatProducerProperties() {}

    static Map<String, Object> of(
            ClusterConfig cluster, Duration deliveryTimeout, Duration interval, int hostCount, String clientId) {
        int delivery = (int) deliveryTimeout.toMillis();
        int linger = Math.min(5, delivery / 20);
        long perHeartbeat = 512;
        long inFlight = hostCount * perHeartbeat * Math.max(1, delivery / interval.toMillis() + 1);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        defaults.put(ProducerConfig.ACKS_CONFIG, "all");
        defaults.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A request in flight when the link dies stays in the kernel's send queue and is retransmitted by TCP when the
        // link returns, long after delivery.timeout.ms: one request in flight bounds that to one interval's worth.
        defaults.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        defaults.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        defaults.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        // A broker that dies without closing its sockets (power loss, kernel panic) leaves the request in flight
        // unanswered until request.timeout.ms; a third of the delivery timeout leaves room for that timeout, the
        // metadata refresh to the new leader and one retry before the heartbeat expires (delivery.timeout.ms must
        // stay >= linger.ms + request.timeout.ms, or the producer refuses to start).
        defaults.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, delivery / 3);
        // send() must never wait for metadata or buffer space: the heartbeat thread serves every host.
        defaults.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        defaults.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(2L << 20, Math.min(32L << 20, inFlight)));
        defaults.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        defaults.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return cluster.clientProperties(defaults);
    }

    /** @throws ConfigException naming the {@code kafka.*} key that would undo a guarantee or break the producer */
    static void validate(ClusterConfig cluster, Duration deliveryTimeout, Duration interval) {
        Map<String, Object> overrides = cluster.kafkaOverrides();
        for (Map.Entry<String, String> owned : OWNED.entrySet()) {
            if (overrides.containsKey(owned.getKey())) {
                throw new ConfigException(
                        ClusterConfig.KAFKA_PREFIX + owned.getKey(), overrides.get(owned.getKey()), owned.getValue());
            }
        }
        ProducerConfig producer;
        try {
            producer = new ProducerConfig(of(cluster, deliveryTimeout, interval, 1, "hostwatch-agent-config-check"));
        } catch (ConfigException e) {
            throw new ConfigException("Invalid kafka.* producer setting: " + e.getMessage());
        }
        long linger = producer.getLong(ProducerConfig.LINGER_MS_CONFIG);
        long request = producer.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        if (linger + request > deliveryTimeout.toMillis()) {
            String key = overrides.containsKey(ProducerConfig.LINGER_MS_CONFIG)
                    ? ProducerConfig.LINGER_MS_CONFIG
                    : ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG;
            throw new ConfigException(
                    ClusterConfig.KAFKA_PREFIX + key,
                    overrides.get(key),
                    "linger.ms + request.timeout.ms (" + linger + " + " + request + " ms) must not exceed "
                            + MemberAgentConfig.HEARTBEAT_DELIVERY_TIMEOUT_MS_CONFIG + " (" + deliveryTimeout.toMillis()
                            + " ms), or the producer refuses to start");
        }
    }
}
