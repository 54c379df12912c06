package io.hostwatch.auth;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.storage.StorageHeartbeat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks authenticators with the master keys (detector, probers). Host keys are derived once per (key id, host)
 * and cached, but only after a record verified with them: ids an attacker makes up cost one derivation each and
 * never grow the cache.
 */
public final class Verifier {
    /** Hosts whose derived keys are cached per key version; far above any real fleet. */
    static final int MAX_CACHED_HOSTS = 1_000_000;

    /** What checking one record found. */
    public enum Result {
        /** The authenticator is valid for the record's host under its key id. */
        VALID,
        /** Neither key id nor authenticator: written by a component that does not authenticate. */
        UNAUTHENTICATED,
        /** A key id no configured master key has. */
        UNKNOWN_KEY_ID,
        /** An authenticator that does not verify, or only one of key id and authenticator. */
        BAD_AUTHENTICATOR
    }

    private final Map<String, MasterKey> masters;
    private final Map<String, Map<String, byte[]>> cache = new ConcurrentHashMap<>();

    public Verifier(List<MasterKey> keys) {
        Map<String, MasterKey> byId = new java.util.LinkedHashMap<>();
        for (MasterKey key : keys) {
            if (byId.put(key.keyId(), key) != null) {
                throw new IllegalArgumentException("two master keys have key id '" + key.keyId() + "'");
            }
            cache.put(key.keyId(), new ConcurrentHashMap<>());
        }
        this.masters = Map.copyOf(byId);
    }

    /** The key ids this verifier accepts. */
    public java.util.Set<String> keyIds() {
        return masters.keySet();
    }

    public Result verify(Heartbeat heartbeat) {
        String keyId = heartbeat.getKeyId();
        boolean hasTag = heartbeat.getAuthenticator() != null;
        if (keyId == null && !hasTag) {
            return Result.UNAUTHENTICATED;
        }
        if (keyId == null || !hasTag) {
            return Result.BAD_AUTHENTICATOR;
        }
        byte[] key = hostKey(keyId, heartbeat.getHost());
        if (key == null) {
            return Result.UNKNOWN_KEY_ID;
        }
        if (!Authenticators.verify(key, heartbeat)) {
            return Result.BAD_AUTHENTICATOR;
        }
        remember(keyId, heartbeat.getHost(), key);
        return Result.VALID;
    }

    public Result verify(StorageHeartbeat file) {
        String keyId = file.keyId();
        boolean hasTag = file.authenticator() != null;
        if (keyId == null && !hasTag) {
            return Result.UNAUTHENTICATED;
        }
        if (keyId == null || !hasTag) {
            return Result.BAD_AUTHENTICATOR;
        }
        byte[] key = hostKey(keyId, file.host());
        if (key == null) {
            return Result.UNKNOWN_KEY_ID;
        }
        if (!Authenticators.verify(key, file)) {
            return Result.BAD_AUTHENTICATOR;
        }
        remember(keyId, file.host(), key);
        return Result.VALID;
    }

    private byte[] hostKey(String keyId, String host) {
        Map<String, byte[]> hosts = cache.get(keyId);
        if (hosts == null) {
            return null;
        }
        byte[] key = hosts.get(host);
        return key != null ? key : masters.get(keyId).derive(host).keyBytes();
    }

    private void remember(String keyId, String host, byte[] key) {
        Map<String, byte[]> hosts = cache.get(keyId);
        if (hosts.size() < MAX_CACHED_HOSTS) {
            hosts.putIfAbsent(host, key);
        }
    }
}
