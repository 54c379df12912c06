package io.hostwatch.storage;

import io.hostwatch.auth.Authenticators;
import io.hostwatch.auth.HostKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage heartbeat file {@code <storage.root>/hostwatch/<host>.hb} (contract section 6), written by the
 * member-agent and read by the prober. Plain UTF-8 {@code key=value} lines so an operator can {@code cat} it on
 * the NFS/CephFS mount; {@link #parse} rejects anything incomplete, so a torn or foreign file is never mistaken
 * for a heartbeat.
 *
 * @param storageSequence increases by one per successful write of one agent instance
 * @param wallTimeMillis  the agent's clock at write time: diagnostics only, never compared across hosts
 * @param isolated        the agent has declared itself isolated (cannot reach Kafka nor its isolation addresses)
 * @param keyId           master key version of the key that made {@code authenticator}; null when not authenticated
 * @param authenticator   HMAC-SHA256 with the host's key over the canonical bytes (contract section 11), or null
 */
public record StorageHeartbeat(
        String host,
        String agentInstance,
        long storageSequence,
        long wallTimeMillis,
        boolean isolated,
        String keyId,
        byte[] authenticator) {
    public static final String DIRECTORY = "hostwatch";
    public static final String SUFFIX = ".hb";
    private static final int FORMAT_VERSION = 1;
    private static final List<String> REQUIRED =
            List.of("version", "host", "agentInstance", "storageSequence", "wallTimeMillis", "isolated");

    /** An unauthenticated file. */
    public StorageHeartbeat(
            String host, String agentInstance, long storageSequence, long wallTimeMillis, boolean isolated) {
        this(host, agentInstance, storageSequence, wallTimeMillis, isolated, null, null);
    }

    /** This file with the authenticator {@code key} gives it. */
    public StorageHeartbeat authenticated(HostKey key) {
        StorageHeartbeat unsigned =
                new StorageHeartbeat(host, agentInstance, storageSequence, wallTimeMillis, isolated, key.keyId(), null);
        return new StorageHeartbeat(
                host,
                agentInstance,
                storageSequence,
                wallTimeMillis,
                isolated,
                key.keyId(),
                Authenticators.of(key, unsigned));
    }

    /** The file of {@code host} under {@code storageRoot}. */
    public static Path file(Path storageRoot, String host) {
        return storageRoot.resolve(DIRECTORY).resolve(host + SUFFIX);
    }

    public byte[] toBytes() {
        return ("version=" + FORMAT_VERSION + "\n"
                        + "host=" + host + "\n"
                        + "agentInstance=" + agentInstance + "\n"
                        + "storageSequence=" + storageSequence + "\n"
                        + "wallTimeMillis=" + wallTimeMillis + "\n"
                        + "isolated=" + isolated + "\n"
                        + (keyId == null ? "" : "keyId=" + keyId + "\n")
                        + (authenticator == null
                                ? ""
                                : "authenticator=" + Base64.getEncoder().encodeToString(authenticator) + "\n")
                        + "end\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a file's bytes; throws {@link CorruptStorageHeartbeatException} saying what is wrong. */
    public static StorageHeartbeat parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.endsWith("end\n")) {
            throw new CorruptStorageHeartbeatException("truncated: no end marker (" + bytes.length + " bytes)");
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (String key : REQUIRED) {
            if (!fields.containsKey(key)) {
                throw new CorruptStorageHeartbeatException("missing field '" + key + "'");
            }
        }
        if (!Integer.toString(FORMAT_VERSION).equals(fields.get("version"))) {
            throw new CorruptStorageHeartbeatException("unsupported format version " + fields.get("version"));
        }
        try {
            return new StorageHeartbeat(
                    fields.get("host"),
                    fields.get("agentInstance"),
                    Long.parseLong(fields.get("storageSequence")),
                    Long.parseLong(fields.get("wallTimeMillis")),
                    parseBoolean(fields.get("isolated")),
                    fields.get("keyId"),
                    fields.containsKey("authenticator")
                            ? Base64.getDecoder().decode(fields.get("authenticator"))
                            : null);
        } catch (IllegalArgumentException e) {
            // NumberFormatException included
            throw new CorruptStorageHeartbeatException("not a number or not base64: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageHeartbeat other
                && host.equals(other.host)
                && agentInstance.equals(other.agentInstance)
                && storageSequence == other.storageSequence
                && wallTimeMillis == other.wallTimeMillis
                && isolated == other.isolated
                && java.util.Objects.equals(keyId, other.keyId)
                && java.util.Arrays.equals(authenticator, other.authenticator);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(host, agentInstance, storageSequence);
    }

    private static boolean parseBoolean(String value) {
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new CorruptStorageHeartbeatException("isolated must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
