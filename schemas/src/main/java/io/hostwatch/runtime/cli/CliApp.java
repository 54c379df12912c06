package io.hostwatch.runtime.cli;

import io.hostwatch.runtime.config.RenamedKeys;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * What one hostwatch app supplies to {@link HostwatchCli}: only what differs between apps. The scaffold owns the
 * command line, the subcommands, loading and validating the configuration, exit codes and the signal handling.
 *
 * @param <O> the app's own options of {@code run} and {@code check-config} (a picocli mixin), or {@link NoOptions}
 * @param <C> the validated configuration {@link #start} runs with
 */
public interface CliApp<O, C> {
    /** The command name, e.g. {@code hostwatch-prober}; also the first word of {@code version}. */
    String name();

    /** One sentence for {@code --help}. */
    String description();

    /** Every key the app reads, for validation, {@code config-docs} and {@code config-template}. */
    ConfigDef configDef();

    /**
     * Comment lines (each starting with {@code #}, ending with a newline) the template starts with after the lines
     * the scaffold writes itself (what the file is, how the environment overrides it); empty if there is nothing
     * else to say.
     */
    String templateHeader();

    /** Keys that were renamed, accepted under the old name with a warning. */
    default RenamedKeys renamedKeys() {
        return RenamedKeys.NONE;
    }

    /** A fresh instance of the app's options; picocli fills it in. */
    O newOptions();

    /**
     * Validates and types the configuration.
     *
     * @param values file and environment, deprecated keys already renamed
     * @throws org.apache.kafka.common.config.ConfigException naming the key (exit code 2)
     * @throws IllegalArgumentException also exit code 2
     */
    C configure(Map<String, String> values, O options);

    /** One line {@code check-config} prints for a valid configuration, e.g. the identity the app would use. */
    String summary(C config);

    /**
     * Starts the service. A {@link org.apache.kafka.common.config.ConfigException} exits with 2, any other exception
     * with 1.
     */
    Running start(C config) throws Exception;

    /** Subcommands of this app only (picocli {@code @Command} objects), e.g. the detector's {@code replay}. */
    default List<Object> extraSubcommands(ConfigLoader<C> loader) {
        return List.of();
    }
}
