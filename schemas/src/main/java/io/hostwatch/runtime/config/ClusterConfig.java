package io.hostwatch.runtime.config;

import io.hostwatch.topics.TopicLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings every hostwatch component shares: where Kafka and the schema registry are, and the topic layout.
 * Components add these keys to their own {@link ConfigDef} with {@link #define(ConfigDef)} and read them back
 * with {@link #from(AbstractConfig)}. Any other {@code kafka.*} key is passed to the Kafka clients unchanged.
 */
public record ClusterConfig(
        String bootstrapServers,
        String schemaRegistryUrl,
        TopicLayout topics,
        short replicationFactor,
        Map<String, Object> kafkaOverrides) {
    public static final String KAFKA_PREFIX = "kafka.";

    public static final String BOOTSTRAP_SERVERS_CONFIG = KAFKA_PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    public static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers, host:port[,host:port...].";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Base URL of a Confluent-compatible schema registry, "
            + "e.g. http://registry:8081 or http://apicurio:8080/apis/ccompat/v7.";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    public static final String TOPIC_PREFIX_DOC = "Prefix of every hostwatch topic name.";
    public static final String TOPIC_PREFIX_DEFAULT = TopicLayout.DEFAULT_PREFIX;

    public static final String TOPIC_PARTITIONS_CONFIG = "topic.partitions";
    public static final String TOPIC_PARTITIONS_DOC = "Partition count of every hostwatch topic (they must match: "
            + "heartbeats, ticks and probe results of a host are processed together).";
    public static final int TOPIC_PARTITIONS_DEFAULT = TopicLayout.DEFAULT_PARTITIONS;

    public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "topic.replication.factor";
    public static final String TOPIC_REPLICATION_FACTOR_DOC =
            "Replication factor of topics hostwatch creates; " + "-1 takes the broker default.";
    public static final short TOPIC_REPLICATION_FACTOR_DEFAULT = -1;

    public ClusterConfig {
        kafkaOverrides = Map.copyOf(kafkaOverrides);
    }

    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        BOOTSTRAP_SERVERS_CONFIG,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new NonEmptyList(),
                        Importance.HIGH,
                        BOOTSTRAP_SERVERS_DOC)
                .define(
                        SCHEMA_REGISTRY_URL_CONFIG,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        SCHEMA_REGISTRY_URL_DOC)
                .define(TOPIC_PREFIX_CONFIG, Type.STRING, TOPIC_PREFIX_DEFAULT, Importance.MEDIUM, TOPIC_PREFIX_DOC)
                .define(
                        TOPIC_PARTITIONS_CONFIG,
                        Type.INT,
                        TOPIC_PARTITIONS_DEFAULT,
                        ConfigDef.Range.atLeast(1),
                        Importance.MEDIUM,
                        TOPIC_PARTITIONS_DOC)
                .define(
                        TOPIC_REPLICATION_FACTOR_CONFIG,
                        Type.SHORT,
                        TOPIC_REPLICATION_FACTOR_DEFAULT,
                        Importance.LOW,
                        TOPIC_REPLICATION_FACTOR_DOC);
    }

    public static ClusterConfig from(AbstractConfig config) {
        String url = config.getString(SCHEMA_REGISTRY_URL_CONFIG);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, url, "must start with http:// or https://");
        }
        Map<String, Object> overrides = new HashMap<>(config.originalsWithPrefix(KAFKA_PREFIX));
        overrides.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return new ClusterConfig(
                String.join(",", config.getList(BOOTSTRAP_SERVERS_CONFIG)),
                url,
                new TopicLayout(config.getString(TOPIC_PREFIX_CONFIG), config.getInt(TOPIC_PARTITIONS_CONFIG)),
                config.getShort(TOPIC_REPLICATION_FACTOR_CONFIG),
                overrides);
    }

    /** Client properties: bootstrap servers, then {@code defaults}, then the operator's {@code kafka.*} keys. */
    public Map<String, Object> clientProperties(Map<String, Object> defaults) {
        Map<String, Object> props = new HashMap<>(defaults);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putAll(kafkaOverrides);
        return props;
    }

    /** A LIST value with at least one element; prints itself for config docs. */
    private static final class NonEmptyList implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || ((List<?>) value).isEmpty()) {
                throw new ConfigException(name, value, "at least one host:port is required");
            }
        }

        @Override
        public String toString() {
            return "non-empty list";
        }
    }
}
