package io.hostwatch.local;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * How a secured local broker authenticates and authorizes: one {@code SASL_SSL} listener with SCRAM-SHA-512 and the
 * KRaft {@code StandardAuthorizer} (deny unless an ACL allows). SCRAM over TLS rather than mutual TLS because every
 * hostwatch client (Java, librdkafka) takes a user name and password from its config file without a per-host
 * certificate to issue and renew, credentials are created and revoked through the Admin API at run time, and TLS
 * still encrypts the traffic and proves the broker's identity.
 *
 * @param adminUser     the super user (broker-to-broker traffic, the operator's admin tasks)
 * @param adminPassword its password, also the password of the TLS stores the broker generates
 */
public record BrokerSecurity(String adminUser, String adminPassword) {
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    public BrokerSecurity {
        if (!adminUser.matches("[A-Za-z0-9_.-]+") || adminPassword.isEmpty() || adminPassword.contains("\"")) {
            throw new IllegalArgumentException(
                    "admin user must be [A-Za-z0-9_.-]+ and the password non-empty " + "without double quotes");
        }
    }

    /** User {@code admin} with a fresh random password. */
    public static BrokerSecurity generate() {
        return new BrokerSecurity("admin", randomSecret());
    }

    /** 128 random bits as hex: passwords for test users. */
    public static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The JAAS line a Kafka client authenticates with. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** Client settings (Java client names) for {@code user} against a broker using {@code certificates}. */
    public static Map<String, String> clientProperties(TestCertificates certificates, String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                MECHANISM,
                "sasl.jaas.config",
                jaasConfig(user, password),
                "ssl.truststore.location",
                certificates.truststore().toString(),
                "ssl.truststore.password",
                certificates.password(),
                "ssl.truststore.type",
                "PKCS12");
    }
}
