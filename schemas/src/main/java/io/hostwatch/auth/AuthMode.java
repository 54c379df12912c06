package io.hostwatch.auth;

import java.util.Locale;

/**
 * How a reader treats authenticators ({@code heartbeat.authentication} on the detector, {@code storage.authentication}
 * on the prober).
 */
public enum AuthMode {
    /** Every record must carry a valid authenticator; anything else is rejected. */
    REQUIRED,
    /** Records with an authenticator must verify; records without one are accepted and counted (rolling upgrades). */
    OPTIONAL,
    /** Nothing is verified. */
    OFF;

    /** The config value, e.g. {@code required}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AuthMode parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
