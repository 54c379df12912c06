package io.hostwatch.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 */
public record StorageHeartbeat(
        String host, String agentInstance, long storageSequence, long wallTimeMillis, boolean isolated) {
    public static final String DIRECTORY = "hostwatch";
    public static final String SUFFIX = ".hb";
    private static final int FORMAT_VERSION = 1;
    private static final List<String> REQUIRED =
            List.of("version", "host", "agentInstance", "storageSequence", "wallTimeMillis", "isolated");

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
                    parseBoolean(fields.get("isolated")));
        } catch (NumberFormatException e) {
            throw new CorruptStorageHeartbeatException("not a number: " + e.getMessage());
        }
    }

    private static boolean parseBoolean(String value) {
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new CorruptStorageHeartbeatException("isolated must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }
}
