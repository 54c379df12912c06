package io.hostwatch.quickstart;

import io.hostwatch.local.OrphanGuard;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Command lines for hostwatch components as their own JVMs, as in production: {@code java -cp ... Main --config
 * FILE}. The classpath is this JVM's own (the quick start depends on every component), so a build is all it takes.
 */
final class ComponentLauncher {
    static final String AGENT_MAIN = "io.hostwatch.agent.MemberAgentApp";
    static final String PROBER_MAIN = "io.hostwatch.prober.ProberApp";
    static final String DETECTOR_MAIN = "io.hostwatch.detector.DetectorApp";

    private final Path workDir;
    private final Path logConfig;

    ComponentLauncher(Path workDir) throws IOException {
        this.workDir = workDir;
        Files.createDirectories(workDir);
        this.logConfig = writeLogConfig(workDir.resolve("component-log4j2.properties"));
    }

    Path workDir() {
        return workDir;
    }

    /** Writes {@code properties} to {@code <workDir>/<name>.properties}. */
    Path writeConfig(String name, Map<String, String> properties) throws IOException {
        Path file = workDir.resolve(name + ".properties");
        Properties props = new Properties();
        props.putAll(new TreeMap<>(properties));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "written by the hostwatch quick start");
        }
        return file;
    }

    /** JVM options of a small, mostly idle daemon (the agent: a 64 MiB heap). */
    static final List<String> SMALL_JVM = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** JVM options of the detector and prober. */
    static final List<String> SERVICE_JVM = List.of("-Xmx512m", "-XX:+UseG1GC");

    /** {@code java ... OrphanGuard <main> <args>}: the child exits when we die, however we die. */
    List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Dlog4j2.configurationFile=" + logConfig.toUri(),
                "-cp",
                absoluteClasspath(),
                OrphanGuard.class.getName(),
                mainClass));
        command.addAll(args);
        return command;
    }

    /** Children run in other directories: {@code java -jar deploy/...jar} gives a relative class path. */
    private static String absoluteClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Path writeLogConfig(Path file) throws IOException {
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "status = warn",
                        "appender.out.type = Console",
                        "appender.out.name = OUT",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = OUT",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        "logger.network.name = org.apache.kafka.clients.NetworkClient",
                        "logger.network.level = ERROR",
                        ""),
                StandardCharsets.UTF_8);
        return file;
    }
}
