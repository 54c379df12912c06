package io.hostwatch.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away certificate authority and one broker certificate signed by it, made with the JDK's own
 * {@code keytool} (no download, no openssl): PKCS12 stores, plus the CA certificate as PEM for clients that take
 * one (librdkafka's {@code ssl.ca.location}). The broker certificate names {@code localhost}, 127.0.0.1 and the
 * broker's own listener host, so clients keep hostname verification on.
 *
 * @param caCertificate    the CA certificate, PEM
 * @param truststore       PKCS12 holding only the CA certificate
 * @param brokerKeystore   PKCS12 with the broker's key and its chain up to the CA
 * @param password         password of both stores (PKCS12 uses one password for store and key)
 */
public record TestCertificates(Path caCertificate, Path truststore, Path brokerKeystore, String password) {
    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final String VALIDITY_DAYS = "30";

    /** Reuses the files in {@code dir} if a previous start made them (a restarted broker keeps its identity). */
    public static TestCertificates createOrReuse(Path dir, String password, String brokerHost)
            throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(
                dir.resolve("ca.pem"), dir.resolve("truststore.p12"), dir.resolve("broker.p12"), password);
        if (Files.exists(certificates.brokerKeystore()) && Files.exists(certificates.truststore())) {
            return certificates;
        }
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        Path csr = dir.resolve("broker.csr");
        Path signed = dir.resolve("broker.pem");
        for (Path stale : List.of(
                ca,
                csr,
                signed,
                certificates.caCertificate(),
                certificates.truststore(),
                certificates.brokerKeystore())) {
            Files.deleteIfExists(stale);
        }
        keytool(
                dir,
                "-genkeypair",
                "-keystore",
                ca.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-alias",
                "ca",
                "-dname",
                "CN=hostwatch test CA",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                VALIDITY_DAYS,
                "-ext",
                "bc:c");
        keytool(
                dir,
                "-exportcert",
                "-keystore",
                ca.toString(),
                "-storepass",
                password,
                "-alias",
                "ca",
                "-rfc",
                "-file",
                certificates.caCertificate().toString());
        keytool(
                dir,
                "-genkeypair",
                "-keystore",
                certificates.brokerKeystore().toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-alias",
                "broker",
                "-dname",
                "CN=" + brokerHost,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                VALIDITY_DAYS);
        keytool(
                dir,
                "-certreq",
                "-keystore",
                certificates.brokerKeystore().toString(),
                "-storepass",
                password,
                "-alias",
                "broker",
                "-file",
                csr.toString());
        keytool(
                dir,
                "-gencert",
                "-keystore",
                ca.toString(),
                "-storepass",
                password,
                "-alias",
                "ca",
                "-infile",
                csr.toString(),
                "-outfile",
                signed.toString(),
                "-rfc",
                "-validity",
                VALIDITY_DAYS,
                "-ext",
                "SAN=" + subjectAlternativeNames(brokerHost),
                "-ext",
                "eku=serverAuth,clientAuth");
        keytool(
                dir,
                "-importcert",
                "-keystore",
                certificates.brokerKeystore().toString(),
                "-storepass",
                password,
                "-alias",
                "ca",
                "-file",
                certificates.caCertificate().toString(),
                "-noprompt");
        keytool(
                dir,
                "-importcert",
                "-keystore",
                certificates.brokerKeystore().toString(),
                "-storepass",
                password,
                "-alias",
                "broker",
                "-file",
                signed.toString());
        keytool(
                dir,
                "-importcert",
                "-keystore",
                certificates.truststore().toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-alias",
                "ca",
                "-file",
                certificates.caCertificate().toString(),
                "-noprompt");
        // the CA's private key signs nothing after this: it does not stay on disk
        Files.delete(ca);
        Files.delete(csr);
        return certificates;
    }

    static String subjectAlternativeNames(String brokerHost) {
        List<String> names = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1"));
        String extra = (brokerHost.matches("[0-9.]+") || brokerHost.contains(":") ? "ip:" : "dns:") + brokerHost;
        if (!names.contains(extra)) {
            names.add(extra);
        }
        return String.join(",", names);
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-Duser.language=en");
        command.addAll(List.of(args));
        ManagedProcess.runToCompletion("keytool " + args[0], command, dir, dir.resolve("keytool.log"), KEYTOOL_TIMEOUT);
    }
}
