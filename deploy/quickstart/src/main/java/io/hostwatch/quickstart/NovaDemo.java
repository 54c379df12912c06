package io.hostwatch.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.local.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The quick start's {@code --nova}: a real Nova compute API (Debian's {@code python3-nova}, the rig hostwatch-nova's
 * own tests use: sqlite, no Keystone, no message bus) with one {@code nova-compute} service per compute host, and
 * {@code hostwatch-nova --apply} converging those services to the verdicts on {@code hostwatch.host-states}. Both
 * run in one Python process ({@code deploy/nova/tests/rig/local_nova.py}); this class starts it and reads Nova's
 * view of a host back through the compute API, as an operator's {@code openstack compute service list} would.
 */
final class NovaDemo implements AutoCloseable {
    /** deploy/nova from the repository root (run-local.sh) or from deploy/quickstart (its tests). */
    private static final List<Path> MODULE_CANDIDATES = List.of(Path.of("deploy/nova"), Path.of("../nova"));

    private static final Path LAUNCHER = Path.of("tests/rig/local_nova.py");
    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What Nova shows for a host's nova-compute service. */
    record ServiceView(String status, String disabledReason, boolean forcedDown) {
        boolean enabled() {
            return "enabled".equals(status);
        }

        @Override
        public String toString() {
            return status
                    + (forcedDown ? ", forced_down" : "")
                    + (disabledReason == null ? "" : ", reason \"" + disabledReason + "\"");
        }
    }

    private final ManagedProcess process;
    private final String endpoint;
    private final String token;

    private NovaDemo(ManagedProcess process, String endpoint, String token) {
        this.process = process;
        this.endpoint = endpoint;
        this.token = token;
    }

    /**
     * Starts Nova and hostwatch-nova; returns once both run. Fails with the reason (and the log's tail) if this
     * machine cannot run Nova or a part does not come up within {@code timeout}.
     */
    static NovaDemo start(Path workDir, List<String> hosts, Endpoints endpoints, Duration timeout)
            throws IOException, InterruptedException {
        Path module = MODULE_CANDIDATES.stream()
                .filter(candidate -> Files.isRegularFile(candidate.resolve(LAUNCHER)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "--nova runs from the repository root: no deploy/nova/" + LAUNCHER + " here"))
                .toAbsolutePath()
                .normalize();
        Path dir = workDir.resolve("nova");
        Path log = workDir.resolve("logs").resolve("nova.log");
        ManagedProcess process = ManagedProcess.start(
                "nova",
                List.of(
                        PYTHON,
                        "-m",
                        "tests.rig.local_nova",
                        "--work-dir",
                        dir.toString(),
                        "--hosts",
                        String.join(",", hosts),
                        "--bootstrap",
                        endpoints.bootstrapServers(),
                        "--registry",
                        endpoints.registryUrl(),
                        "--exit-on-stdin-eof"),
                module,
                log,
                Map.of("PYTHONUNBUFFERED", "1"));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> ready = Files.readAllLines(log).stream()
                    .filter(line -> line.startsWith("READY "))
                    .findFirst();
            if (ready.isPresent()) {
                String[] parts = ready.get().split(" ");
                return new NovaDemo(process, parts[1], parts[2]);
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.stop(Duration.ofSeconds(20));
                throw new IllegalStateException("Nova for --nova did not start"
                        + (process.isAlive() ? " within " + timeout : "") + "; " + log + " ends:\n"
                        + ManagedProcess.tail(log, 8));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    String endpoint() {
        return endpoint;
    }

    /** Nova's view of host's nova-compute service; empty if Nova does not answer or has no such service. */
    Optional<ServiceView> service(String host) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/os-services?binary=nova-compute&host="
                        + URLEncoder.encode(host, StandardCharsets.UTF_8)))
                .header("X-Auth-Token", token)
                .header("X-OpenStack-Nova-API-Version", "2.53")
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode services = JSON.readTree(response.body()).path("services");
            if (services.isEmpty()) {
                return Optional.empty();
            }
            JsonNode service = services.get(0);
            JsonNode reason = service.path("disabled_reason");
            return Optional.of(new ServiceView(
                    service.path("status").asText(),
                    reason.isNull() || reason.isMissingNode() ? null : reason.asText(),
                    service.path("forced_down").asBoolean()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Waits until Nova's view of host satisfies wanted; returns the last view seen (empty if none). */
    Optional<ServiceView> await(String host, Predicate<ServiceView> wanted, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ServiceView> view = service(host);
        while (view.filter(wanted).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            view = service(host);
        }
        return view;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
