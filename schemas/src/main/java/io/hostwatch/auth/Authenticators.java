package io.hostwatch.auth;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.storage.StorageHeartbeat;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The authenticators of heartbeats and storage heartbeat files: HMAC-SHA256 with the writing host's key over the
 * canonical bytes of the record (contract section 11). One implementation for the agent that writes them and the
 * detector and probers that check them. Each thread reuses one {@link Mac} and one buffer: the detector's hot path
 * allocates only the key spec.
 */
public final class Authenticators {
    static final String ALGORITHM = "HmacSHA256";
    /** Length of an authenticator in bytes. */
    public static final int LENGTH = 32;

    private static final byte[] HEARTBEAT_LABEL = ascii("hostwatch-heartbeat-v1");
    private static final byte[] STORAGE_LABEL = ascii("hostwatch-storage-v1");
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(Authenticators::newMac);
    private static final ThreadLocal<Canonical> BUFFERS = ThreadLocal.withInitial(Canonical::new);

    private Authenticators() {}

    /** Sets {@code heartbeat}'s key id and authenticator: what the agent does to every heartbeat it sends. */
    public static Heartbeat authenticate(HostKey key, Heartbeat heartbeat) {
        heartbeat.setKeyId(key.keyId());
        heartbeat.setAuthenticator(ByteBuffer.wrap(of(key, heartbeat)));
        return heartbeat;
    }

    /** The authenticator {@code key} gives {@code heartbeat}, whose {@code keyId} is taken to be {@code key}'s. */
    public static byte[] of(HostKey key, Heartbeat heartbeat) {
        return mac(key.keyBytes(), heartbeat(key.keyId(), heartbeat));
    }

    /** The authenticator {@code key} gives {@code file}, whose {@code keyId} is taken to be {@code key}'s. */
    public static byte[] of(HostKey key, StorageHeartbeat file) {
        return mac(key.keyBytes(), storage(key.keyId(), file));
    }

    static boolean verify(byte[] hostKey, Heartbeat heartbeat) {
        byte[] given = bytes(heartbeat.getAuthenticator());
        return given != null && MessageDigest.isEqual(mac(hostKey, heartbeat(heartbeat.getKeyId(), heartbeat)), given);
    }

    static boolean verify(byte[] hostKey, StorageHeartbeat file) {
        byte[] given = file.authenticator();
        return given != null && MessageDigest.isEqual(mac(hostKey, storage(file.keyId(), file)), given);
    }

    static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** The canonical bytes of a heartbeat: every field but the authenticator, in schema order (contract 11). */
    static Canonical heartbeat(String keyId, Heartbeat h) {
        Canonical c = BUFFERS.get().reset();
        c.raw(HEARTBEAT_LABEL);
        c.string(keyId);
        c.string(h.getHost());
        c.string(h.getAgentInstance());
        c.int64(h.getSequence());
        c.int64(h.getSentAt().toEpochMilli());
        c.int32(h.getIntervalMs());
        c.string(h.getAddress());
        c.nullableString(h.getFailureDomain());
        c.string(h.getServiceStatus().name());
        c.int64(h.getStorageSequence());
        c.bool(h.getStorageWriteOk());
        c.string(h.getAgentVersion());
        return c;
    }

    /** The canonical bytes of a storage heartbeat file: every field but the authenticator (contract 11). */
    static Canonical storage(String keyId, StorageHeartbeat f) {
        Canonical c = BUFFERS.get().reset();
        c.raw(STORAGE_LABEL);
        c.string(keyId);
        c.string(f.host());
        c.string(f.agentInstance());
        c.int64(f.storageSequence());
        c.int64(f.wallTimeMillis());
        c.bool(f.isolated());
        return c;
    }

    static byte[] mac(byte[] key, Canonical canonical) {
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC key rejected", e);
        }
        mac.update(canonical.bytes, 0, canonical.length);
        return mac.doFinal();
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * A growable big-endian buffer: strings as a 4-byte length and their UTF-8 bytes, so no two field lists encode
     * alike; a null as byte 0, a present optional value as byte 1 and the value.
     */
    static final class Canonical {
        byte[] bytes = new byte[256];
        int length;

        Canonical reset() {
            length = 0;
            return this;
        }

        void raw(byte[] b) {
            int32(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        void string(String s) {
            raw(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        void nullableString(String s) {
            if (s == null) {
                bool(false);
            } else {
                bool(true);
                string(s);
            }
        }

        void bool(boolean b) {
            ensure(1);
            bytes[length++] = (byte) (b ? 1 : 0);
        }

        void int32(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (v >>> shift);
            }
        }

        void int64(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (v >>> shift);
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, length);
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
