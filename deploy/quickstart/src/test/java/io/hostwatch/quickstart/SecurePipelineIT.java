package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.detector.DetectorApp;
import io.hostwatch.local.BrokerSecurity;
import io.hostwatch.local.FreePorts;
import io.hostwatch.local.KafkaBroker;
import io.hostwatch.local.LocalCluster;
import io.hostwatch.local.ManagedProcess;
import io.hostwatch.local.SchemaRegistry;
import io.hostwatch.local.TestCertificates;
import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.runtime.cli.HostwatchCli;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.serde.SchemaRegistryClients;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline over SASL_SSL with the StandardAuthorizer: the broker denies everything but what
 * {@code hostwatch-detector acls} grants, and agent, prober and detector each run as their own process and
 * principal, configured only through the {@code kafka.*} pass-through (truststore + SCRAM credentials). The host-state
 * board reads as the Nova consumer's principal. On loopback (no network namespaces needed): a host whose agent and
 * service are killed is up (its address answers pings) with nothing reporting, which must come out as
 * SERVICE_UNREACHABLE / SERVICE_PROCESS_CRASHED, a verdict that needs the agent's heartbeats, the detector's probe
 * request, the prober's answer and the detector's host state, each written by its own principal.
 *
 * <p>The ops endpoints run secured too: the detector's over HTTPS (the broker's test certificate) with a bearer
 * token, the prober's with the token over HTTP; without the token everything but {@code /health} (and the console's
 * static page) answers 401.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SecurePipelineIT {
    private static final int PARTITIONS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String HOST = "secure-1";

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // best effort: the next resource must still be closed
            }
        }
    }

    @Test
    void shouldReachVerdictsWithEveryComponentAuthenticatedAsItsOwnRole(@TempDir Path dir) throws Exception {
        // given: a secured broker, the topics, one SCRAM user per role and the ACL set from the operator command
        LocalCluster cluster = LocalCluster.start(
                new KafkaBroker.Settings(dir.resolve("kafka"), "127.0.0.1", 0, 0, "768m", Map.of())
                        .secured(BrokerSecurity.generate()),
                SchemaRegistry.Settings.defaults(dir.resolve("registry")));
        resources.add(cluster);
        KafkaBroker broker = cluster.broker();
        TopicLayout layout = new TopicLayout(TopicLayout.DEFAULT_PREFIX, PARTITIONS);
        Map<String, Object> adminProps = new HashMap<>(broker.adminClientProperties());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        Map<String, Map<String, String>> clients = new HashMap<>();
        try (Admin admin = Admin.create(adminProps)) {
            new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(60)).ensure(layout.specs());
            for (String role : List.of("agent", "prober", "detector", "nova")) {
                String password = BrokerSecurity.randomSecret();
                broker.createScramUser(admin, "hostwatch-" + role, password);
                clients.put(role, broker.clientProperties("hostwatch-" + role, password));
            }
        }
        ComponentLauncher launcher = new ComponentLauncher(dir.resolve("work"));
        Path storage = dir.resolve("shared-storage");
        Files.createDirectories(storage.resolve(StorageHeartbeat.DIRECTORY));
        String token = BrokerSecurity.randomSecret() + BrokerSecurity.randomSecret();
        Path tokenFile = dir.resolve("ops.token");
        Files.writeString(tokenFile, token + "\n");
        Map<String, String> detectorConfig = componentConfig(cluster, clients.get("detector"));
        detectorConfig.put("ops.auth.token.file", tokenFile.toString());
        detectorConfig.put(
                "ops.tls.keystore.location",
                broker.certificates().orElseThrow().brokerKeystore().toString());
        detectorConfig.put(
                "ops.tls.keystore.password", broker.certificates().orElseThrow().password());
        detectorConfig.putAll(Profile.DEFAULT.detector());
        detectorConfig.put("application.id", "hostwatch-detector");
        detectorConfig.put("instance.id", "detector-1");
        detectorConfig.put("state.dir", dir.resolve("detector-state").toString());
        detectorConfig.put("ops.bind.address", "127.0.0.1");
        detectorConfig.put("ops.port", Integer.toString(FreePorts.next()));
        Path detectorFile = launcher.writeConfig("detector", detectorConfig);
        Map<String, String> adminFileProps = new HashMap<>(broker.adminClientProperties());
        Path adminFile = launcher.writeConfig("admin", adminFileProps);
        ByteArrayOutputStream aclOut = new ByteArrayOutputStream();
        ByteArrayOutputStream aclErr = new ByteArrayOutputStream();
        int aclExit = new HostwatchCli<>(
                        new DetectorApp(),
                        new PrintStream(aclOut, true, StandardCharsets.UTF_8),
                        new PrintStream(aclErr, true, StandardCharsets.UTF_8),
                        Map.of())
                .execute("acls", "--config", detectorFile.toString(), "--admin-config", adminFile.toString());
        assertThat(aclExit).as(aclErr.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(aclOut.toString(StandardCharsets.UTF_8))
                .contains("ALLOW User:hostwatch-detector WRITE on literal topic 'hostwatch.host-states'")
                .doesNotContain("User:hostwatch-agent WRITE on literal topic 'hostwatch.host-states'");

        // when: detector, prober and agent as their own processes and principals
        ManagedProcess detector = start(launcher, "detector", ComponentLauncher.DETECTOR_MAIN, detectorFile);
        HttpClient https = trustingTestCa(broker);
        String detectorUrl = "https://127.0.0.1:" + detectorConfig.get("ops.port");
        await("detector healthy over HTTPS")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(detector.isAlive()).as(detector.logTail(30)).isTrue();
                    assertThat(get(https, detectorUrl + "/health", Map.of()).statusCode())
                            .isEqualTo(200);
                });
        Map<String, String> proberConfig = componentConfig(cluster, clients.get("prober"));
        proberConfig.putAll(Profile.DEFAULT.prober());
        proberConfig.put("prober.id", "prober-1");
        proberConfig.put("ops.auth.token.file", tokenFile.toString());
        proberConfig.put("storage.root", storage.toString());
        proberConfig.put("ops.bind.address", "127.0.0.1");
        proberConfig.put("ops.port", Integer.toString(FreePorts.next()));
        ManagedProcess prober = start(
                launcher, "prober-1", ComponentLauncher.PROBER_MAIN, launcher.writeConfig("prober-1", proberConfig));
        awaitUp("prober-1", proberConfig, prober);
        ManagedProcess service = ManagedProcess.start(
                "service-" + HOST, List.of("sleep", "infinity"), dir, dir.resolve("service.log"), Map.of());
        resources.add(service);
        Path pidFile = dir.resolve("service.pid");
        Files.writeString(pidFile, service.pid() + "\n");
        Map<String, String> agentConfig = componentConfig(cluster, clients.get("agent"));
        agentConfig.putAll(Profile.DEFAULT.agent());
        agentConfig.put("host.id", HOST);
        agentConfig.put("agent.address", "127.0.0.1");
        agentConfig.put("storage.root", storage.toString());
        agentConfig.put("service.check", "pidfile");
        agentConfig.put("service.check.pidfile", pidFile.toString());
        agentConfig.put("isolation.addresses", "");
        ManagedProcess agent = start(
                launcher, "agent-" + HOST, ComponentLauncher.AGENT_MAIN, launcher.writeConfig("agent", agentConfig));
        Topics topics = Topics.create(layout, SchemaRegistryClients.forUrl(cluster.registryUrl()));
        Map<String, String> nova = new HashMap<>(clients.get("nova"));
        nova.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        HostStateBoard board = new HostStateBoard(nova, "hostwatch-nova", topics.hostStates());
        resources.add(board);

        // then: the host runs, read by the Nova consumer's principal
        awaitState(board, HostStatus.RUNNING, Optional.empty(), launcher);

        // then: the ops endpoints want the token everywhere but /health and the console's static page
        String proberUrl = "http://127.0.0.1:" + proberConfig.get("ops.port");
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
        Map<String, String> wrong = Map.of("Authorization", "Bearer " + token.substring(1) + "x");
        for (String url :
                List.of(detectorUrl + "/hosts/" + HOST, detectorUrl + "/metrics", detectorUrl + "/api/summary")) {
            HttpResponse<String> refused = get(https, url, Map.of());
            assertThat(refused.statusCode()).as(url).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate"))
                    .as(url)
                    .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
            assertThat(get(https, url, wrong).statusCode())
                    .as(url + " wrong token")
                    .isEqualTo(401);
            assertThat(get(https, url, bearer).statusCode())
                    .as(url + " with token")
                    .isEqualTo(200);
        }
        assertThat(get(https, detectorUrl + "/hosts/" + HOST, bearer).body()).contains(HOST);
        assertThat(get(https, detectorUrl + "/api/summary", Map.of("Cookie", "hostwatch_token=" + token))
                        .statusCode())
                .as("the console's cookie")
                .isEqualTo(200);
        assertThat(get(https, detectorUrl + "/console/", Map.of()).statusCode()).isEqualTo(200);
        assertThat(get(http, proberUrl + "/metrics", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get(http, proberUrl + "/metrics", bearer).statusCode()).isEqualTo(200);
        assertThat(get(http, proberUrl + "/health", Map.of()).statusCode()).isEqualTo(200);

        // when: the agent and its service die, the host stays up
        agent.kill();
        service.kill();

        // then
        awaitState(board, HostStatus.SERVICE_UNREACHABLE, Optional.of(StateReason.SERVICE_PROCESS_CRASHED), launcher);
        assertThat(board.failure()).isEmpty();
    }

    private static HttpResponse<String> get(HttpClient client, String url, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET();
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A client that trusts the test CA the broker's certificate (also the detector's here) comes from. */
    private static HttpClient trustingTestCa(KafkaBroker broker) throws Exception {
        TestCertificates tls = broker.certificates().orElseThrow();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.truststore())) {
            trust.load(in, tls.password().toCharArray());
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static Map<String, String> componentConfig(LocalCluster cluster, Map<String, String> client) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        config.put("schema.registry.url", cluster.registryUrl());
        config.put("topic.partitions", Integer.toString(PARTITIONS));
        client.forEach((key, value) -> config.put("kafka." + key, value));
        return config;
    }

    private ManagedProcess start(ComponentLauncher launcher, String name, String mainClass, Path config)
            throws Exception {
        ManagedProcess process = ManagedProcess.start(
                name,
                launcher.command(
                        ComponentLauncher.SERVICE_JVM, mainClass, List.of("run", "--config", config.toString())),
                launcher.workDir(),
                launcher.workDir().resolve("logs/" + name + ".log"),
                Map.of());
        resources.add(process);
        return process;
    }

    private static void awaitUp(String name, Map<String, String> config, ManagedProcess process)
            throws InterruptedException {
        HealthProbe.awaitUp(
                name,
                "http://127.0.0.1:" + config.get("ops.port"),
                process::isAlive,
                START_TIMEOUT,
                process.logFile().toString());
    }

    private static void awaitState(
            HostStateBoard board, HostStatus state, Optional<StateReason> reason, ComponentLauncher launcher) {
        await(HOST + " " + state + reason.map(r -> "/" + r).orElse(""))
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Optional<HostState> latest = board.latest(HOST);
                    assertThat(latest)
                            .as(
                                    "board error %s; detector log:%n%s",
                                    board.failure(),
                                    ManagedProcess.tail(launcher.workDir().resolve("logs/detector.log"), 20))
                            .hasValueSatisfying(event -> {
                                assertThat(event.getState()).isEqualTo(state);
                                reason.ifPresent(
                                        r -> assertThat(event.getReason()).isEqualTo(r));
                            });
                });
    }
}
