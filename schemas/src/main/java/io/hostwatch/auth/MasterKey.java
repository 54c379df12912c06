package io.hostwatch.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One version of the master secret, held by the detector and the probers only. A host's key is derived from it
 * ({@link #derive}), so the holders of the master secret can check every host while each host, provisioned with its
 * derived key alone, can authenticate as itself and nobody else.
 *
 * @param keyId  the key version written on every record it authenticates (rotation: two ids are valid at once)
 * @param secret 32 random bytes
 */
public record MasterKey(String keyId, byte[] secret) {
    /** Domain separation: a derived host key can never equal a MAC over a record. */
    static final String DERIVATION_LABEL = "hostwatch-host-key-v1|";

    public MasterKey {
        KeyIds.check(keyId);
        if (secret.length < 32) {
            throw new IllegalArgumentException(
                    "master key '" + keyId + "' has " + secret.length + " bytes, at least 32 are needed");
        }
        secret = secret.clone();
    }

    /** {@code HMAC-SHA256(secret, "hostwatch-host-key-v1|" + host)}: the key only {@code host} is given. */
    public HostKey derive(String host) {
        try {
            Mac mac = Mac.getInstance(Authenticators.ALGORITHM);
            mac.init(new SecretKeySpec(secret, Authenticators.ALGORITHM));
            byte[] key = mac.doFinal((DERIVATION_LABEL + host).getBytes(StandardCharsets.UTF_8));
            return new HostKey(keyId, host, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey other && keyId.equals(other.keyId) && Arrays.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "MasterKey[" + keyId + "]";
    }
}
