package io.hostwatch.runtime.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * This machine's host name, for the keys whose empty value means "this machine" (the agent's {@code host.id}, the
 * prober's {@code prober.id}, the detector's {@code instance.id} and {@code ops.advertised.host}). One source and one
 * fallback for all of them: the kernel's hostname ({@code /proc/sys/kernel/hostname}, which is also what
 * nova-compute names its host by default), else what the JVM reports ({@code InetAddress.getLocalHost()}). If
 * neither can be read there is no made-up default: the key must be set, and the error says so.
 */
public final class LocalHostName {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private LocalHostName() {}

    /** The host name, if it can be read. */
    public static Optional<String> read() {
        try {
            String name =
                    Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return Optional.of(name);
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or /proc not mounted: ask the JVM
        }
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName()).filter(name -> !name.isBlank());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The host name for empty {@code key}, or a {@link ConfigException} asking to set {@code key}. */
    public static String forEmpty(String key) {
        return read().orElseThrow(() ->
                new ConfigException(key, "", "is empty and this machine's host name cannot be read: set it"));
    }
}
