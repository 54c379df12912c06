package io.hostwatch.runtime.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigException;

/**
 * Config keys that were renamed: the old name is still accepted for one release, with a warning, so that operators
 * can upgrade first and edit their files after. Setting both names to different values is an error naming both,
 * never a silent choice.
 *
 * @param renamed old key -> current key
 */
public record RenamedKeys(Map<String, String> renamed) {
    public static final RenamedKeys NONE = new RenamedKeys(Map.of());

    public RenamedKeys {
        renamed = Map.copyOf(renamed);
    }

    /**
     * {@code values} with every old key replaced by its current one; {@code warn} receives one line per old key used.
     * Apply it to each source (file, environment) on its own, so that the environment still wins over the file.
     */
    public Map<String, String> apply(Map<String, String> values, Consumer<String> warn) {
        Map<String, String> result = new LinkedHashMap<>(values);
        renamed.forEach((old, current) -> {
            if (!result.containsKey(old)) {
                return;
            }
            String value = result.remove(old);
            String other = result.get(current);
            if (other != null && !Objects.equals(other.trim(), value.trim())) {
                throw new ConfigException(
                        current,
                        other,
                        "is also set under its deprecated name " + old + " to '" + value + "': remove " + old);
            }
            result.put(current, value);
            warn.accept("config key " + old + " is deprecated and will be removed in the next release: use " + current);
        });
        return result;
    }
}
