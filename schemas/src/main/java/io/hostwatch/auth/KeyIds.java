package io.hostwatch.auth;

import java.util.regex.Pattern;

/** Key ids: 1 to 64 letters, digits, '.', '_' or '-', so they fit a file line and a record field as they are. */
final class KeyIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private KeyIds() {}

    static void check(String keyId) {
        if (keyId == null || !VALID.matcher(keyId).matches()) {
            throw new IllegalArgumentException(
                    "key id '" + keyId + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
    }
}
