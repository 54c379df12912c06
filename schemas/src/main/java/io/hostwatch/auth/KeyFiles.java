package io.hostwatch.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Key files: UTF-8 {@code key=value} lines, readable by their owner only. A file group or world may read is refused
 * (a key anyone on the machine can copy is no key), with a {@link ConfigException} naming the file and its mode, so
 * the component exits with the configuration exit code 2.
 *
 * <pre>
 * type=master            type=host
 * keyId=k1               keyId=k1
 * secret=&lt;base64&gt;        host=compute-01
 *                        key=&lt;base64&gt;
 * </pre>
 */
public final class KeyFiles {
    static final String MASTER = "master";
    static final String HOST = "host";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FORBIDDEN = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private KeyFiles() {}

    /** A new master key of 32 random bytes. */
    public static MasterKey generateMaster(String keyId) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new MasterKey(keyId, secret);
    }

    /**
     * Reads a master key file.
     *
     * @param configKey the config key that named the file, for the error message
     */
    public static MasterKey readMaster(Path file, String configKey) {
        Map<String, String> fields = read(file, configKey, MASTER);
        try {
            return new MasterKey(
                    required(fields, "keyId", file, configKey),
                    Base64.getDecoder().decode(required(fields, "secret", file, configKey)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configKey, file.toString(), "bad master key file: " + e.getMessage());
        }
    }

    /** Whether {@code file} holds a master key (else it should hold a host key); checks its mode too. */
    public static boolean isMaster(Path file, String configKey) {
        checkOwnerOnly(file, configKey);
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .anyMatch(line -> line.trim().equals("type=" + MASTER));
        } catch (IOException e) {
            throw new ConfigException(configKey, file.toString(), "cannot read the key file: " + e);
        }
    }

    /** Reads a host key file. */
    public static HostKey readHost(Path file, String configKey) {
        Map<String, String> fields = read(file, configKey, HOST);
        try {
            return new HostKey(
                    required(fields, "keyId", file, configKey),
                    required(fields, "host", file, configKey),
                    Base64.getDecoder().decode(required(fields, "key", file, configKey)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(configKey, file.toString(), "bad host key file: " + e.getMessage());
        }
    }

    /** Writes a new master key file, mode 0600; an existing file is never overwritten. */
    public static void write(Path file, MasterKey key) throws IOException {
        write(
                file,
                "# hostwatch master key: detector and probers only, never a compute host\n"
                        + "type=" + MASTER + "\nkeyId=" + key.keyId() + "\nsecret="
                        + Base64.getEncoder().encodeToString(key.secret()) + "\n");
    }

    /** Writes a new host key file, mode 0600; an existing file is never overwritten. */
    public static void write(Path file, HostKey key) throws IOException {
        write(
                file,
                "# hostwatch host key of " + key.host() + ": this host's member-agent only\n"
                        + "type=" + HOST + "\nkeyId=" + key.keyId() + "\nhost=" + key.host() + "\nkey="
                        + Base64.getEncoder().encodeToString(key.key()) + "\n");
    }

    /** Throws naming the file and its mode if group or others have any permission on it. */
    public static void checkOwnerOnly(Path file, String configKey) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new ConfigException(configKey, file.toString(), "cannot read the key file: " + e);
        } catch (UnsupportedOperationException e) {
            throw new ConfigException(configKey, file.toString(), "the file system has no POSIX permissions");
        }
        for (PosixFilePermission p : permissions) {
            if (FORBIDDEN.contains(p)) {
                throw new ConfigException(
                        configKey,
                        file.toString(),
                        "key file " + file + " has mode " + PosixFilePermissions.toString(permissions)
                                + ": group and others must have no access (chmod 600 " + file + ")");
            }
        }
    }

    private static Map<String, String> read(Path file, String configKey, String type) {
        checkOwnerOnly(file, configKey);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(configKey, file.toString(), "cannot read the key file: " + e);
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        if (!type.equals(fields.get("type"))) {
            throw new ConfigException(
                    configKey, file.toString(), "not a " + type + " key file (type=" + fields.get("type") + ")");
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String name, Path file, String configKey) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(configKey, file.toString(), "key file has no '" + name + "' line");
        }
        return value;
    }

    private static void write(Path file, String content) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a key file");
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        // createFile's mode is filtered by the umask; set it again so it is exactly 0600
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
