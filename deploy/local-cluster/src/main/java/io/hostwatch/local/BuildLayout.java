package io.hostwatch.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where this machine's build put the broker's jars and the registry distribution. Written into the jar at build
 * time by Maven, because both come from Maven Central through the build and nowhere else.
 */
record BuildLayout(String brokerClasspath, Path registryHome) {
    private static final String RESOURCE = "/hostwatch-local-cluster.properties";

    static BuildLayout load() {
        Properties props = new Properties();
        try (InputStream in = BuildLayout.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the classpath: build with Maven first");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildLayout(props.getProperty("broker.classpath"), Path.of(props.getProperty("registry.home")));
    }

    /** The broker's classpath plus this module's own classes (for {@link OrphanGuard}). */
    String brokerClasspathWithGuard() {
        return ownCodeSource() + File.pathSeparator + brokerClasspath;
    }

    static String ownCodeSource() {
        try {
            return Path.of(OrphanGuard.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registry's {@code quarkus-run.jar}, wherever the distribution's top directory is. */
    Path registryRunJar() {
        try (Stream<Path> files = Files.walk(registryHome, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("quarkus-run.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No quarkus-run.jar under " + registryHome
                            + ": run 'mvn -B install -DskipTests' so the registry distribution is unpacked"));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Registry distribution missing at " + registryHome + ": run 'mvn -B install -DskipTests' first", e);
        }
    }
}
