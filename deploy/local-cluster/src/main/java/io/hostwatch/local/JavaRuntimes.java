package io.hostwatch.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** Finds a Java runtime of a minimum feature version: the registry needs 21+ while hostwatch targets 17. */
public final class JavaRuntimes {
    /** Overrides the search: a JAVA_HOME to use for the registry. */
    public static final String REGISTRY_JAVA_HOME_ENV = "HOSTWATCH_REGISTRY_JAVA_HOME";

    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    private JavaRuntimes() {}

    /** The {@code bin/java} of a runtime with feature version >= {@code minimum}, newest first. */
    public static Path javaExecutable(int minimum) {
        String override = System.getenv(REGISTRY_JAVA_HOME_ENV);
        if (override != null && !override.isBlank()) {
            Path home = Path.of(override);
            int version = featureVersion(home).orElse(0);
            if (version < minimum) {
                throw new IllegalStateException(
                        REGISTRY_JAVA_HOME_ENV + "=" + override + " is Java " + version + ", need " + minimum + "+");
            }
            return home.resolve("bin/java");
        }
        Path current = Path.of(System.getProperty("java.home"));
        if (featureVersion(current).orElse(0) >= minimum) {
            return current.resolve("bin/java");
        }
        List<Path> homes = new ArrayList<>(javaHomesOnPath(System.getenv().getOrDefault("PATH", "")));
        try (Stream<Path> installed = Files.list(JVM_DIR)) {
            installed.forEach(homes::add);
        } catch (IOException e) {
            // no JVM_DIR: only the PATH's runtimes
        }
        return homes.stream()
                .filter(home -> featureVersion(home).orElse(0) >= minimum)
                .max(Comparator.comparingInt(home -> featureVersion(home).orElse(0)))
                .map(home -> home.resolve("bin/java"))
                .orElseThrow(() -> noRuntime(minimum));
    }

    /** The homes of the {@code java} commands on {@code path} (symlinks resolved, as Debian's alternatives are). */
    static List<Path> javaHomesOnPath(String path) {
        List<Path> homes = new ArrayList<>();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path java = Path.of(dir, "java");
            try {
                if (Files.isExecutable(java)) {
                    Path home = java.toRealPath().getParent().getParent();
                    if (home != null && !homes.contains(home)) {
                        homes.add(home);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a dangling link or an unreadable directory is no runtime
            }
        }
        return homes;
    }

    private static IllegalStateException noRuntime(int minimum) {
        return new IllegalStateException("No Java " + minimum + "+ runtime found (java.home, `java` on the PATH, "
                + JVM_DIR + "/*) for the Apicurio schema registry: install one (e.g. a Temurin " + minimum
                + " JDK) or set " + REGISTRY_JAVA_HOME_ENV);
    }

    static Optional<Integer> featureVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(javaHome.resolve("bin/java"))) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(release)) {
            props.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String version = props.getProperty("JAVA_VERSION", "").replace("\"", "");
        String feature = version.split("[.+-]")[0];
        try {
            return Optional.of(Integer.parseInt(feature));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
