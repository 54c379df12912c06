package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hostwatch.schema.HostState;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import io.hostwatch.testkit.ExternalTools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The fault matrix on real processes: a KRaft broker, the registry, the detector, two probers and ten compute hosts
 * (network namespaces, a real member-agent each), with every fault injected for real and every verdict read from
 * {@code hostwatch.host-states} as Nova would read it. Needs root and {@code ip}, {@code nft}, {@code ping},
 * {@code chattr}, {@code kill} on the PATH, and for the Nova consumer a {@code python3} with its modules: skipped
 * without them, failed instead where CI requires them ({@code HOSTWATCH_REQUIRE_EXTERNAL_TOOLS=1}, see
 * {@link ExternalTools}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultMatrixIT {
    private static final Duration VERDICT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);
    /** A detector re-creating its exactly-once tasks after a crash of its own or of the broker (see Order 7, 8). */
    private static final Duration DETECTOR_RESUME_TIMEOUT = Duration.ofSeconds(120);

    private LocalPipeline pipeline;
    private ScenarioRunner runner;
    private Exception startFailure;

    /**
     * Checks the tools before every test, so that each one is reported skipped with the reason (an abort in
     * {@code @BeforeAll} would be reported as no test run at all), and starts the pipeline once, for the first.
     */
    @BeforeEach
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void requireToolsAndStartPipelineOnce() throws Exception {
        // test hosts with port blocking (partitioned), ping (the probers' and agents' ICMP), chattr (unwritable
        // storage), kill (signals to agents and services); the Nova consumer's python3 is checked by its own test
        ExternalTools tools = ExternalTools.system();
        tools.requireTestHosts();
        tools.requireTools("nft", "ping", "chattr", "kill");
        if (startFailure != null) {
            throw new IllegalStateException("the pipeline did not start for an earlier test", startFailure);
        }
        if (pipeline == null) {
            try {
                startPipeline();
            } catch (Exception e) {
                startFailure = e;
                throw e;
            }
        }
    }

    private void startPipeline() throws Exception {
        Path workDir = Path.of(
                        "target", "fault-matrix-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        WorkDirectory.wipe(workDir);
        pipeline = LocalPipeline.start(
                new LocalPipeline.Settings(workDir, 0, 0, 4, Profile.DEFAULT, FaultMatrix.HOSTS, true));
        runner = new ScenarioRunner(pipeline, VERDICT_TIMEOUT, RECOVERY_TIMEOUT);
        runner.awaitHealthy(hostIds(), Duration.ofSeconds(120));
    }

    @AfterAll
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void shouldReportServiceUnreachableWhenAgentAndServiceAreKilled() throws Exception {
        assertPassed(runner.run(FaultMatrix.serviceCrash("compute-01")));
    }

    @Test
    @Order(2)
    void shouldReportIsolatedWhenTheLinkGoesDownAndTheAgentSeesItToo() throws Exception {
        // the published ISOLATED must carry SELF_ISOLATION_CONFIRMED: the agent's marker was read by the probers
        assertPassed(runner.run(FaultMatrix.selfIsolated("compute-02")));
    }

    @Test
    @Order(3)
    void shouldReportDeadWhenAgentIsKilledAndLinkIsDown() throws Exception {
        assertPassed(runner.run(FaultMatrix.dead("compute-03")));
    }

    @Test
    @Order(4)
    void shouldReportPartitionedWhenOnlyTheBrokerPathIsCut() throws Exception {
        assertPassed(runner.run(FaultMatrix.partitioned("compute-04")));
    }

    @Test
    @Order(5)
    void shouldReportStorageDegradedWhileRunningWhenStorageIsUnwritable() throws Exception {
        assertPassed(runner.run(FaultMatrix.storageDegraded("compute-05")));
    }

    @Test
    @Order(6)
    void shouldHoldVerdictsWhenFortyPercentOfADomainFailsAtOnce() throws Exception {
        long before = System.nanoTime();
        ScenarioRunner.Outcome outcome = runner.run(FaultMatrix.massFailure("compute-06", "compute-07"));

        assertPassed(outcome);
        assertThat(eventsSince(before)).noneMatch(state -> state.getState() == HostStatus.DEAD);
    }

    @Test
    @Order(7)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldKeepEveryHostRunningWhenTheDetectorCrashesAndRestarts() throws Exception {
        long before = System.nanoTime();

        pipeline.services().crashAndRestartDetector();

        // its /health answers while it is still rebalancing; only a queryable state proves it is processing again
        awaitDetectorRunning(DETECTOR_RESUME_TIMEOUT);
        assertQuietPeriodWithoutFalseVerdicts(before);
    }

    @Test
    @Order(8)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldKeepEveryHostRunningWhenTheBrokerCrashesAndRestarts() throws Exception {
        // given: a detector that is processing, not one still restoring from an earlier test
        awaitDetectorRunning(DETECTOR_RESUME_TIMEOUT);
        long before = System.nanoTime();

        // when
        pipeline.crashAndRestartBroker();
        Instant brokerBack = Instant.now();
        // the fault must meet a heartbeat path that works again: injected while compute-01's heartbeats are still
        // not getting through (the detector then sees silence with a storage file that moved on), PARTITIONED
        // would be the right verdict, not a false one
        awaitHeartbeatProcessedSince("compute-01", brokerBack, DETECTOR_RESUME_TIMEOUT);

        // then: the detector provably works on input from after the restart: a fault injected now is classified,
        // which needs its ticks, timers, probe requests, the probers' answers and a committed host state. A false
        // verdict caused by the outage's gap would have been decided before that (it is due at the first record
        // after the gap, before this fault's heartbeat timeout runs out). The detector's exactly-once tasks may
        // need to be re-created after the broker crash, so the verdict may take as long as its recovery.
        ScenarioRunner.Outcome afterRestart = new ScenarioRunner(
                        pipeline, DETECTOR_RESUME_TIMEOUT.plus(VERDICT_TIMEOUT), RECOVERY_TIMEOUT)
                .run(FaultMatrix.serviceCrash("compute-01"));
        assertPassed(afterRestart);
        // and no host left RUNNING because of the outage: any other state, not only DEAD/ISOLATED, is wrong
        assertThat(pipeline.board().arrivals())
                .filteredOn(arrival -> arrival.arrivedAtNanos() >= before)
                .filteredOn(arrival -> !arrival.state().getHost().equals("compute-01")
                        || arrival.arrivedAtNanos() < afterRestart.injectedAtNanos())
                .extracting(HostStateBoard.Arrival::state)
                .allSatisfy(state -> assertThat(state.getState())
                        .as("%s %s", state.getHost(), VerdictJudge.describe(state))
                        .isEqualTo(HostStatus.RUNNING));
    }

    @Test
    @Order(9)
    void shouldLetTheStockPythonNovaConsumerDecodeEveryEventAndDecide() throws Exception {
        // given: everything the detector published so far
        List<HostState> published = pipeline.board().arrivals().stream()
                .map(HostStateBoard.Arrival::state)
                .toList();

        // when: Nova's reference consumer reads the topic from the start, dry-run
        List<JsonNode> lines = NovaConsumer.run(pipeline.endpoints(), published.size(), Duration.ofSeconds(90));

        // then: it decoded the same events, in order per host, and took the documented decisions
        List<JsonNode> events = lines.stream()
                .filter(l -> l.path("type").asText().equals("event"))
                .toList();
        assertThat(events)
                .extracting(e -> e.path("host").asText() + " " + e.path("state").asText() + " "
                        + e.path("reason").asText())
                .containsExactlyInAnyOrderElementsOf(published.stream()
                        .map(s -> s.getHost() + " " + s.getState() + " " + s.getReason())
                        .toList());
        List<String> actions = lines.stream()
                .filter(l -> l.path("type").asText().equals("action"))
                .map(l -> l.path("host").asText() + " " + l.path("action").asText())
                .toList();
        assertThat(actions).containsSubsequence("compute-03 force-down", "compute-03 lift-force-down");
        assertThat(actions)
                .contains("compute-02 hold")
                .doesNotContain("compute-06 force-down", "compute-07 force-down", "compute-01 force-down");
        assertThat(lines)
                .allSatisfy(
                        line -> assertThat(line.path("dry_run").asBoolean(true)).isTrue());
    }

    @Test
    @Order(10)
    void shouldExposeEveryMetricTheGrafanaDashboardQueries() throws Exception {
        // given
        String dashboard = Files.readString(Path.of("../grafana/hostwatch-dashboard.json"));
        Set<String> queried = new TreeSet<>();
        Matcher names = Pattern.compile("hostwatch_[a-z_]+").matcher(dashboard);
        while (names.find()) {
            queried.add(names.group().replaceFirst("_bucket$", ""));
        }

        // when
        String scraped = scrape(pipeline.services().detectorUrl())
                + scrape(pipeline.services().proberUrl(1))
                + scrape(pipeline.host("compute-08").opsUrl());

        // then
        assertThat(queried)
                .isNotEmpty()
                .allSatisfy(metric -> assertThat(scraped).as(metric).contains(metric));
    }

    @Test
    @Order(11)
    void shouldReportServiceReportedDownWhenOnlyTheServiceDiesAndTheAgentKeepsHeartbeating() throws Exception {
        assertPassed(runner.run(FaultMatrix.serviceReportedDown("compute-08")));
    }

    @Test
    @Order(12)
    void shouldReportProbeInconclusiveNotDeadWhenTheProbersCannotReadTheSharedStorage() throws Exception {
        assertPassed(runner.run(FaultMatrix.storageUnavailableToProbers("compute-09")));
    }

    @Test
    @Order(13)
    void shouldReachTheSameVerdictWhenOneOfTwoProbersIsDown() throws Exception {
        // given
        pipeline.services().killProber(2);
        try {
            // when
            ScenarioRunner.Outcome outcome = runner.run(FaultMatrix.dead("compute-03"));

            // then: DEAD on the one prober's evidence, after the collection window instead of the quorum
            assertPassed(outcome);
            assertThat(outcome.judgements()
                            .get(0)
                            .verdict()
                            .orElseThrow()
                            .getEvidence()
                            .getProbers())
                    .containsExactly("prober-1");
        } finally {
            pipeline.services().startProberIfDown(2);
        }
    }

    @Test
    @Order(14)
    void shouldEndUnknownProbeTimeoutNotDeadWhenAllProbersAreDownAndClassifyOnceOneReturns() throws Exception {
        // given
        String host = "compute-10";
        runner.awaitHealthy(hostIds(), RECOVERY_TIMEOUT);
        long before = System.nanoTime();
        boolean poweredOff = false;
        try {
            pipeline.services().killProber(1);
            pipeline.services().killProber(2);

            // when
            pipeline.host(host).powerOff();
            poweredOff = true;

            // then: nobody answers its probe requests, so the detector cannot tell
            await("UNKNOWN/PROBE_TIMEOUT")
                    .atMost(VERDICT_TIMEOUT)
                    .until(() -> pipeline.board()
                            .latest(host)
                            .filter(s ->
                                    s.getState() == HostStatus.UNKNOWN && s.getReason() == StateReason.PROBE_TIMEOUT)
                            .isPresent());

            // when: one prober is back; it answers the requests it missed (or the next re-probe)
            long proberBack = System.nanoTime();
            pipeline.services().restartProber(1);

            // then: the host is classified
            await("classified once a prober is back")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> pipeline.board()
                            .latest(host)
                            .filter(s -> s.getState() == HostStatus.DEAD)
                            .isPresent());
            // and while no prober ran, nothing but the timeout was published, for any host
            assertThat(pipeline.board().arrivals())
                    .filteredOn(a -> a.arrivedAtNanos() >= before && a.arrivedAtNanos() < proberBack)
                    .extracting(HostStateBoard.Arrival::state)
                    .filteredOn(state -> state.getState() != HostStatus.RUNNING)
                    .extracting(state -> state.getHost() + " " + state.getState() + "/" + state.getReason())
                    .containsExactly(host + " UNKNOWN/PROBE_TIMEOUT");
            // and afterwards only this host changed, through UNKNOWN at most (a prober whose own network is not
            // verified yet answers ERROR: inconclusive, per the contract), to DEAD
            List<HostState> afterwards = pipeline.board().arrivals().stream()
                    .filter(a -> a.arrivedAtNanos() >= proberBack)
                    .map(HostStateBoard.Arrival::state)
                    .filter(state -> state.getState() != HostStatus.RUNNING)
                    .toList();
            assertThat(afterwards).extracting(HostState::getHost).containsOnly(host);
            assertThat(afterwards.subList(0, afterwards.size() - 1))
                    .allSatisfy(state -> assertThat(state.getState()).isEqualTo(HostStatus.UNKNOWN));
            assertThat(afterwards.get(afterwards.size() - 1).getReason())
                    .isEqualTo(StateReason.HARDWARE_FAILURE_OR_SHUTDOWN);
        } finally {
            pipeline.services().startProberIfDown(1);
            pipeline.services().startProberIfDown(2);
            if (poweredOff) {
                pipeline.host(host).linkUp();
                pipeline.host(host).start();
            }
        }
        runner.awaitHealthy(List.of(host), RECOVERY_TIMEOUT);
    }

    @Test
    @Order(15)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldConvergeARealNovaApiToTheVerdictsOfRealFaults() throws Exception {
        // given: a real nova-api (Debian's python3-nova) with a nova-compute service per host, and hostwatch-nova
        // --apply consuming host-states from the start (the quick start's --nova)
        ExternalTools.system()
                .requirePythonModules(
                        "nova.cmd.api", "openstack", "confluent_kafka", "avro", "requests", "prometheus_client");
        try (NovaDemo nova =
                NovaDemo.start(pipeline.workDir(), hostIds(), pipeline.endpoints(), Duration.ofSeconds(240))) {
            for (String host : hostIds()) {
                assertThat(nova.await(host, NovaDemo.ServiceView::enabled, Duration.ofSeconds(60)))
                        .as("%s enabled in Nova after the earlier faults were repaired", host)
                        .get()
                        .extracting(NovaDemo.ServiceView::enabled)
                        .isEqualTo(true);
            }
            // when: a host dies; then Nova shows it disabled with hostwatch's reason and forced down
            List<Optional<NovaDemo.ServiceView>> dead = new ArrayList<>();
            assertPassed(runner.run(
                    FaultMatrix.dead("compute-03"),
                    p -> dead.add(nova.await("compute-03", NovaDemo.ServiceView::forcedDown, VERDICT_TIMEOUT))));
            assertThat(dead.get(0)).get().satisfies(view -> {
                assertThat(view.forcedDown()).isTrue();
                assertThat(view.status()).isEqualTo("disabled");
                assertThat(view.disabledReason()).startsWith("hostwatch: DEAD/HARDWARE_FAILURE_OR_SHUTDOWN since ");
            });
            // and once it is back, enabled and no longer forced down
            assertThat(nova.await("compute-03", v -> v.enabled() && !v.forcedDown(), VERDICT_TIMEOUT))
                    .get()
                    .extracting(NovaDemo.ServiceView::enabled)
                    .isEqualTo(true);

            // when: a host is isolated; then Nova shows it disabled but NOT forced down (its VMs may still run,
            // and no fence command is configured)
            List<Optional<NovaDemo.ServiceView>> isolated = new ArrayList<>();
            assertPassed(runner.run(
                    FaultMatrix.selfIsolated("compute-02"),
                    p -> isolated.add(nova.await(
                            "compute-02",
                            v -> v.disabledReason() != null
                                    && v.disabledReason().startsWith("hostwatch: ISOLATED/"),
                            VERDICT_TIMEOUT))));
            assertThat(isolated.get(0)).get().satisfies(view -> {
                assertThat(view.status()).isEqualTo("disabled");
                assertThat(view.disabledReason()).startsWith("hostwatch: ISOLATED/NETWORK_UNREACHABLE since ");
                assertThat(view.forcedDown()).isFalse();
            });
            assertThat(nova.await("compute-02", NovaDemo.ServiceView::enabled, VERDICT_TIMEOUT))
                    .get()
                    .extracting(NovaDemo.ServiceView::enabled)
                    .isEqualTo(true);
        }
    }

    private static String scrape(String baseUrl) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(baseUrl).isEqualTo(200);
        return response.body();
    }

    private void assertQuietPeriodWithoutFalseVerdicts(long sinceNanos) throws InterruptedException {
        runner.awaitHealthy(hostIds(), RECOVERY_TIMEOUT);
        // several heartbeat timeouts of normal operation after the restart: a false gap would show by then
        Duration quiet = Duration.ofMillis(3L * Profile.DEFAULT.heartbeatTimeoutMs());
        await("no host leaving RUNNING")
                .during(quiet)
                .atMost(quiet.plusSeconds(5))
                .until(() ->
                        eventsSince(sinceNanos).stream().allMatch(state -> state.getState() == HostStatus.RUNNING));
    }

    /** Until the detector's {@code /hosts} answers 200: Kafka Streams RUNNING and its state queryable (not 503). */
    /** Waits until the detector's own record of {@code host} holds a heartbeat the broker appended after {@code since}. */
    private void awaitHeartbeatProcessedSince(String host, Instant since, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        await(host + "'s heartbeat after " + since + " processed by the detector")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    String body = http.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    pipeline.services().detectorUrl() + "/hosts/" + host))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    String last = json.readTree(body)
                            .path("evidence")
                            .path("lastHeartbeatAt")
                            .asText();
                    return !last.isEmpty() && Instant.parse(last).isAfter(since);
                });
    }

    private void awaitDetectorRunning(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        await("detector RUNNING (/hosts 200)")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(URI.create(
                                                        pipeline.services().detectorUrl() + "/hosts"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    private List<HostState> eventsSince(long nanos) {
        return pipeline.board().arrivals().stream()
                .filter(arrival -> arrival.arrivedAtNanos() >= nanos)
                .map(HostStateBoard.Arrival::state)
                .toList();
    }

    private static void assertPassed(ScenarioRunner.Outcome outcome) {
        assertThat(outcome.problems())
                .as(
                        "problems of %s (expected %s)",
                        outcome.scenario().name(), outcome.scenario().expected())
                .isEmpty();
        assertThat(outcome.passed()).as("%s passed", outcome.scenario().name()).isTrue();
    }

    private static List<String> hostIds() {
        return FaultMatrix.HOSTS.stream().map(HostSpec::id).toList();
    }
}
