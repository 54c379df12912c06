package io.hostwatch.runtime.security;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a Kafka client will authenticate as, read from its own settings, for log lines about authorization errors:
 * the broker's refusal names neither the principal nor the missing ACL.
 */
public final class ClientPrincipal {
    private static final Pattern USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private ClientPrincipal() {}

    /** E.g. {@code User:hostwatch-agent (SASL_SSL SCRAM-SHA-512)} or {@code User:ANONYMOUS (PLAINTEXT)}. */
    public static String describe(Map<String, ?> clientProperties) {
        Object configured = clientProperties.get("security.protocol");
        String protocol = configured == null ? "PLAINTEXT" : String.valueOf(configured);
        Object jaas = clientProperties.get("sasl.jaas.config");
        if (protocol.startsWith("SASL") && jaas != null) {
            Matcher user = USERNAME.matcher(String.valueOf(jaas));
            Object mechanism = clientProperties.get("sasl.mechanism");
            return "User:" + (user.find() ? user.group(1) : "?") + " (" + protocol + " "
                    + (mechanism == null ? "GSSAPI" : mechanism) + ")";
        }
        return "User:ANONYMOUS (" + protocol + ")";
    }
}
