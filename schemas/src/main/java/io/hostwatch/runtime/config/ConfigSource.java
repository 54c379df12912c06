package io.hostwatch.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Raw configuration of a component: a properties file, then environment variables on top. An environment variable
 * {@code HOSTWATCH_HEARTBEAT_INTERVAL_MS} sets key {@code heartbeat.interval.ms}; {@code HOSTWATCH_KAFKA_LINGER_MS}
 * sets the Kafka client setting {@code kafka.linger.ms}. Typing and validation happen in each component's
 * {@code AbstractConfig}.
 */
public final class ConfigSource {
    public static final String ENV_PREFIX = "HOSTWATCH_";

    private ConfigSource() {}

    /** @param file may be null: environment (and defaults) only */
    public static Map<String, String> load(Path file, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            values.putAll(readProperties(file));
        }
        values.putAll(fromEnvironment(env));
        return values;
    }

    /** The keys of a properties file, values trimmed; a missing or unreadable file is a {@link ConfigException}. */
    public static Map<String, String> readFile(Path file) {
        return readProperties(file);
    }

    /** The keys the {@code HOSTWATCH_*} variables of {@code env} set; other variables are ignored. */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                values.put(envToKey(name), value);
            }
        });
        return values;
    }

    /** {@code HOSTWATCH_HEARTBEAT_INTERVAL_MS} -> {@code heartbeat.interval.ms}. */
    public static String envToKey(String variable) {
        return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** {@code heartbeat.interval.ms} -> {@code HOSTWATCH_HEARTBEAT_INTERVAL_MS}. */
    public static String keyToEnv(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Config file " + file.toAbsolutePath() + " does not exist or is not a file");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read config file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        props.stringPropertyNames()
                .forEach(name -> values.put(name, props.getProperty(name).trim()));
        return values;
    }
}
