package io.hostwatch.runtime.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * TLS and a bearer token for a component's ops endpoint, the same three keys in every component. With a token, every
 * route but {@code /health} (and routes that serve only static code, such as the console's page) answers 401 without
 * {@code Authorization: Bearer <token>} (or the console's {@code hostwatch_token} cookie); detector instances send
 * the token when they forward queries to each other.
 *
 * @param token the shared secret, empty when authentication is off (the default, as for the quick start)
 * @param tls   the server's TLS context, empty for plain HTTP
 */
public record OpsSecurity(Optional<String> token, Optional<SSLContext> tls) {
    public static final OpsSecurity NONE = new OpsSecurity(Optional.empty(), Optional.empty());

    public static final String TOKEN_FILE_CONFIG = "ops.auth.token.file";
    public static final String TOKEN_FILE_DOC = "File holding the bearer token every ops route but /health requires "
            + "(first line, at least 16 characters from A-Z a-z 0-9 . _ ~ + / = -, e.g. 'openssl rand -base64 32'; keep the file readable by the service user only). Empty: no "
            + "authentication.";
    public static final String TOKEN_FILE_DEFAULT = "";
    public static final String KEYSTORE_LOCATION_CONFIG = "ops.tls.keystore.location";
    public static final String KEYSTORE_LOCATION_DOC = "PKCS12 key store with the ops endpoint's key and certificate "
            + "chain: the endpoint serves HTTPS. Empty: plain HTTP.";
    public static final String KEYSTORE_LOCATION_DEFAULT = "";
    public static final String KEYSTORE_PASSWORD_CONFIG = "ops.tls.keystore.password";
    public static final String KEYSTORE_PASSWORD_DOC = "Password of ops.tls.keystore.location (store and key).";
    public static final String COOKIE = "hostwatch_token";
    static final int MIN_TOKEN_LENGTH = 16;

    /** Adds the three keys to a component's ConfigDef. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(TOKEN_FILE_CONFIG, Type.STRING, TOKEN_FILE_DEFAULT, Importance.MEDIUM, TOKEN_FILE_DOC)
                .define(
                        KEYSTORE_LOCATION_CONFIG,
                        Type.STRING,
                        KEYSTORE_LOCATION_DEFAULT,
                        Importance.MEDIUM,
                        KEYSTORE_LOCATION_DOC)
                .define(KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, KEYSTORE_PASSWORD_DOC);
    }

    /** Reads the token file and the key store once. @throws ConfigException naming the key */
    public static OpsSecurity from(AbstractConfig config) {
        String tokenFile = config.getString(TOKEN_FILE_CONFIG);
        Optional<String> token = tokenFile.isBlank() ? Optional.empty() : Optional.of(readToken(tokenFile));
        String keystore = config.getString(KEYSTORE_LOCATION_CONFIG);
        Optional<SSLContext> tls = keystore.isBlank()
                ? Optional.empty()
                : Optional.of(sslContext(keystore, config.getPassword(KEYSTORE_PASSWORD_CONFIG)));
        return new OpsSecurity(token, tls);
    }

    /**
     * {@code http} or {@code https}: how peers reach this endpoint. Their HTTP client trusts what the JVM trusts
     * ({@code -Djavax.net.ssl.trustStore=...} for a private CA).
     */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    /**
     * Whether a request carrying these headers may pass: always without a token; else the bearer token or the
     * console's cookie must equal it. Compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time
     * taken tells nothing about the token, not even its length.
     */
    public boolean authorized(Optional<String> authorization, Optional<String> cookies) {
        if (token.isEmpty()) {
            return true;
        }
        Optional<String> presented = authorization
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .or(() -> cookies.flatMap(OpsSecurity::tokenCookie));
        return presented.isPresent() && MessageDigest.isEqual(sha256(presented.get()), sha256(token.get()));
    }

    /** Adds this endpoint's token to a request to a peer instance (the same token on every instance). */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return request;
    }

    private static Optional<String> tokenCookie(String header) {
        for (String cookie : header.split(";")) {
            String trimmed = cookie.trim();
            if (trimmed.startsWith(COOKIE + "=")) {
                return Optional.of(trimmed.substring(COOKIE.length() + 1));
            }
        }
        return Optional.empty();
    }

    private static String readToken(String file) {
        String token;
        try {
            token = Files.readString(Path.of(file), StandardCharsets.UTF_8)
                    .lines()
                    .findFirst()
                    .orElse("")
                    .trim();
        } catch (IOException e) {
            throw new ConfigException(TOKEN_FILE_CONFIG, file, "cannot be read: " + e.getMessage());
        }
        // the console sends it as a cookie value: no separators, no spaces
        if (token.length() < MIN_TOKEN_LENGTH || !token.matches("[A-Za-z0-9._~+/=-]+")) {
            throw new ConfigException(
                    TOKEN_FILE_CONFIG,
                    file,
                    "must hold a token of at least " + MIN_TOKEN_LENGTH + " characters from A-Z a-z 0-9 . _ ~ + / = -");
        }
        return token;
    }

    private static SSLContext sslContext(String location, Password password) {
        char[] secret = password == null ? new char[0] : password.value().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(KEYSTORE_LOCATION_CONFIG, location, "cannot be loaded: " + e.getMessage());
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
