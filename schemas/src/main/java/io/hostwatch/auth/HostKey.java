package io.hostwatch.auth;

import java.util.Arrays;

/**
 * A host's own key, derived from a {@link MasterKey}: the only secret a compute host holds.
 *
 * @param keyId the master key version it was derived from
 * @param host  the host id it authenticates
 * @param key   32 bytes
 */
public record HostKey(String keyId, String host, byte[] key) {
    public HostKey {
        KeyIds.check(keyId);
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    /** The key bytes without a copy, for the MAC on the hot path; callers never modify them. */
    byte[] keyBytes() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostKey other
                && keyId.equals(other.keyId)
                && host.equals(other.host)
                && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return host.hashCode();
    }

    @Override
    public String toString() {
        return "HostKey[" + keyId + ", " + host + "]";
    }
}
