package io.hostwatch.runtime.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Loads an app's configuration the way {@code run} does (file, then {@code HOSTWATCH_*} environment, deprecated keys
 * renamed with a warning), for an app's own subcommands such as the detector's {@code replay}.
 */
@FunctionalInterface
public interface ConfigLoader<C> {
    /**
     * @param file may be null: environment and defaults only
     * @param overrides applied last, e.g. a subcommand's {@code --set key=value}
     * @throws org.apache.kafka.common.config.ConfigException naming the key; the scaffold turns it into exit code 2
     */
    C load(Path file, Map<String, String> overrides);
}
