package io.hostwatch.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry from its prebuilt Maven Central distribution, run as its own JVM (Java 21+), serving the
 * Confluent Schema Registry API at {@code /apis/ccompat/v7} with global compatibility BACKWARD, storage in memory.
 */
public final class SchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int MINIMUM_JAVA = 21;

    private final Settings settings;
    private final ManagedProcess process;

    /**
     * @param workDir        log file and scratch space
     * @param host           address to listen on (see {@link KafkaBroker.Settings#host()})
     * @param port           HTTP port, 0 for a free one
     * @param managementPort health port (always on 127.0.0.1), 0 for a free one
     */
    public record Settings(Path workDir, String host, int port, int managementPort) {
        public Settings {
            workDir = workDir.toAbsolutePath();
            port = FreePorts.orFree(port);
            managementPort = FreePorts.orFree(managementPort);
        }

        public Settings(Path workDir, int port, int managementPort) {
            this(workDir, "127.0.0.1", port, managementPort);
        }

        public static Settings defaults(Path workDir) {
            return new Settings(workDir, 0, 0);
        }

        /** Base URL of the Confluent-compatible API. */
        public String url() {
            return "http://" + host + ":" + port + "/apis/ccompat/v7";
        }
    }

    private SchemaRegistry(Settings settings, ManagedProcess process) {
        this.settings = settings;
        this.process = process;
    }

    public static SchemaRegistry start(Settings settings) throws IOException, InterruptedException {
        BuildLayout layout = BuildLayout.load();
        Path runJar = layout.registryRunJar();
        Path javaExecutable = JavaRuntimes.javaExecutable(MINIMUM_JAVA);
        List<String> command = List.of(
                javaExecutable.toString(),
                "-Xmx384m",
                "-Dquarkus.http.host=" + settings.host(),
                "-Dquarkus.http.port=" + settings.port(),
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + settings.managementPort(),
                "-Dapicurio.rules.global.compatibility=BACKWARD",
                "-Dquarkus.log.level=WARN",
                "-cp",
                runJar + File.pathSeparator + BuildLayout.ownCodeSource(),
                OrphanGuard.class.getName(),
                "io.quarkus.bootstrap.runner.QuarkusEntryPoint");
        ManagedProcess process = ManagedProcess.start(
                "schema-registry",
                command,
                settings.workDir(),
                settings.workDir().resolve("registry.log"),
                Map.of());
        SchemaRegistry registry = new SchemaRegistry(settings, process);
        try {
            registry.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        LOG.info("Schema registry ready at {} (pid {}, Java at {})", settings.url(), process.pid(), javaExecutable);
        return registry;
    }

    public String url() {
        return settings.url();
    }

    @Override
    public void close() {
        process.close();
        LOG.info("Schema registry at {} stopped", settings.url());
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + settings.managementPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Schema registry exited during start-up; last lines of "
                        + process.logFile() + ":\n" + process.logTail(40));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Schema registry not ready within " + START_TIMEOUT + "; last lines of "
                        + process.logFile() + ":\n" + process.logTail(40));
            }
            Thread.sleep(250);
        }
    }
}
