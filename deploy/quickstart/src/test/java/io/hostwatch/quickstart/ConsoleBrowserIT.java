package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.schema.HostStatus;
import io.hostwatch.testkit.ExternalTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console in a real browser (Debian's headless chromium through its chromedriver) against the live
 * pipeline: broker, registry, detector, two probers and six compute hosts in network namespaces with real agents.
 * Faults are injected for real and the open page must follow them without a reload. Screenshots and the page's
 * timings go to {@code target/console-browser/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleBrowserIT {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowserIT.class);
    /** The SLA: a change appears in the open page within a second of the event. */
    private static final long LIVE_SLA_MS = 1000;

    private static final Duration UI = Duration.ofSeconds(10);

    /** Two domains of three: one fault is a third of az-1 (one host, never held), two are two thirds of az-2. */
    private static final List<HostSpec> HOSTS = List.of(
            new HostSpec("compute-01", "az-1"),
            new HostSpec("compute-02", "az-1"),
            new HostSpec("compute-03", "az-1"),
            new HostSpec("compute-04", "az-2"),
            new HostSpec("compute-05", "az-2"),
            new HostSpec("compute-06", "az-2"));

    private final Path artifacts = Path.of("target", "console-browser").toAbsolutePath();
    private final List<String> timings = new ArrayList<>();
    private LocalPipeline pipeline;
    private ScenarioRunner runner;
    private ChromeDriver browser;

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void startPipelineAndBrowser() throws Exception {
        ExternalTools tools = ExternalTools.system();
        tools.requireTools("chromium", "chromedriver");
        tools.requireTestHosts();
        tools.requirePortBlocking();
        Path workDir = Path.of(
                        "target", "console-browser-" + ProcessHandle.current().pid())
                .toAbsolutePath();
        WorkDirectory.wipe(workDir);
        WorkDirectory.wipe(artifacts);
        Files.createDirectories(artifacts);
        pipeline = LocalPipeline.start(new LocalPipeline.Settings(workDir, 0, 0, 4, Profile.DEFAULT, HOSTS, true));
        runner = new ScenarioRunner(pipeline, Duration.ofSeconds(30), Duration.ofSeconds(60));
        runner.awaitHealthy(HOSTS.stream().map(HostSpec::id).toList(), Duration.ofSeconds(120));
        browser = startBrowser(workDir);
        browser.get(pipeline.services().detectorUrl() + "/console/");
        // survives only as long as the page is not reloaded
        js("window.hostwatchLoadMarker = 'loaded-once'");
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (!timings.isEmpty()) {
            Files.write(artifacts.resolve("timings.txt"), timings);
        }
    }

    @Test
    @Order(1)
    void shouldShowEveryHostRunningWhenTheFleetIsHealthy() throws IOException {
        await("six RUNNING rows").atMost(UI).untilAsserted(() -> {
            assertThat(rowStates())
                    .hasSize(6)
                    .allSatisfy((host, state) -> assertThat(state).isEqualTo("RUNNING"));
            assertThat(count("RUNNING")).isEqualTo("6");
            assertThat(count("DEAD")).isEqualTo("0");
            assertThat(text("#live")).isEqualTo("live");
            assertThat(bannerShown()).isFalse();
        });
        assertThat(js("return document.querySelectorAll('#domains tbody tr').length"))
                .isEqualTo(2L);
        screenshot("healthy");
    }

    @Test
    @Order(2)
    void shouldFollowAKilledAgentInTheOpenPageAndExplainTheVerdict() throws Exception {
        long injectedAt = System.nanoTime();
        FaultScenario crash = FaultMatrix.serviceCrash("compute-01");
        ScenarioRunner.Outcome outcome = runRepairingOnFailure(crash, p -> {
            // then: the row changed without a reload, within the SLA of the event reaching Kafka's readers
            await("compute-01 SERVICE_UNREACHABLE in the page")
                    .atMost(UI)
                    .until(() -> "SERVICE_UNREACHABLE".equals(rowStates().get("compute-01")));
            long pageChangedAt = ((Number) js("return Number(document.querySelector("
                            + "'#hosts tr[data-host=\"compute-01\"]').dataset.changedAt)"))
                    .longValue();
            long eventAt = arrivalWallMillis("compute-01", HostStatus.SERVICE_UNREACHABLE, injectedAt);
            record("service-crash: page row changed " + (pageChangedAt - eventAt)
                    + " ms after the host-states event reached a consumer (SLA " + LIVE_SLA_MS + " ms)");
            assertThat(pageChangedAt - eventAt).isLessThanOrEqualTo(LIVE_SLA_MS);
            assertThat(js("return window.hostwatchLoadMarker")).isEqualTo("loaded-once");
            assertThat(firstRowHost()).as("hosts that are not RUNNING first").isEqualTo("compute-01");
            assertThat(count("SERVICE_UNREACHABLE")).isEqualTo("1");

            // when/then: the state filter
            long clicked = System.nanoTime();
            click("#counts button[data-state='SERVICE_UNREACHABLE']");
            await().atMost(UI).until(() -> rowStates().keySet().equals(java.util.Set.of("compute-01")));
            record("state filter: click to filtered table " + millisSince(clicked) + " ms");
            click("#counts button[data-state='']");
            await().atMost(UI).until(() -> rowStates().size() == 6);

            // when/then: the search
            clicked = System.nanoTime();
            browser.findElement(By.id("search")).sendKeys("pute-03");
            await().atMost(UI).until(() -> rowStates().keySet().equals(java.util.Set.of("compute-03")));
            record("search: typing to filtered table " + millisSince(clicked) + " ms");
            WebElement search = browser.findElement(By.id("search"));
            search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            await().atMost(UI).until(() -> rowStates().size() == 6);

            // when/then: the detail shows both probers' evidence and the transition
            clicked = System.nanoTime();
            click("#hosts tr[data-host='compute-01']");
            await().atMost(UI).untilAsserted(() -> {
                assertThat(js("return document.querySelector('#detail').hidden"))
                        .isEqualTo(false);
                assertThat(text("#detail-host")).isEqualTo("compute-01");
                assertThat(proberCells("ping"))
                        .containsOnlyKeys("prober-1", "prober-2")
                        .allSatisfy((prober, ping) -> assertThat(ping).startsWith("OK"));
                assertThat(proberCells("storage")).containsValues("STALE");
                assertThat(timelineStates()).startsWith("SERVICE_UNREACHABLE").contains("RUNNING");
            });
            record("detail: click to evidence and timeline shown " + millisSince(clicked) + " ms");
            screenshot("service-crash-detail");
        });
        assertThat(outcome.latency().get("compute-01")).isPresent();
        assertThat(outcome.recovered()).isTrue();
        // the open detail follows the recovery too
        await("recovery in the open detail").atMost(UI).untilAsserted(() -> {
            assertThat(timelineStates()).startsWith("RUNNING", "SERVICE_UNREACHABLE");
            assertThat(rowStates().get("compute-01")).isEqualTo("RUNNING");
        });
    }

    @Test
    @Order(3)
    void shouldShowTheHeldDomainWhenTwoThirdsOfItFailAtOnce() throws Exception {
        FaultScenario massFailure = FaultMatrix.massFailure("compute-04", "compute-05");
        ScenarioRunner.Outcome outcome = runRepairingOnFailure(massFailure, p -> {
            await("az-2 held in the guard panel").atMost(UI).untilAsserted(() -> {
                assertThat(js("return document.querySelector('#domains tr[data-domain=\"az-2\"]').dataset.holding"))
                        .isEqualTo("true");
                assertThat(js("return document.querySelector('#domains tr[data-domain=\"az-1\"]').dataset.holding"))
                        .isEqualTo("false");
                assertThat(rowStates()).containsEntry("compute-04", "UNKNOWN").containsEntry("compute-05", "UNKNOWN");
                assertThat(js("return document.querySelector('#hosts tr[data-host=\"compute-04\"] .reason')"
                                + ".textContent"))
                        .isEqualTo("MASS_FAILURE_SUSPECTED");
            });
            click("#hosts tr[data-host='compute-04']");
            await().atMost(UI)
                    .until(() -> "compute-04".equals(text("#detail-host"))
                            && timelineStates().size() >= 2);
            screenshot("mass-failure");
        });
        assertThat(outcome.latency().values())
                .allSatisfy(latency -> assertThat(latency).isPresent());
        assertThat(outcome.recovered()).isTrue();
    }

    @Test
    @Order(4)
    void shouldShowABannerWhileTheDetectorIsDownAndRecoverWithoutReload() throws Exception {
        // when: the detector is killed (SIGKILL) and started again
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
            try {
                pipeline.services().crashAndRestartDetector();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            // then
            await("banner while the detector is down").atMost(UI).until(this::bannerShown);
            screenshot("detector-down");
            restart.get(2, TimeUnit.MINUTES);
            await("banner gone after the restart")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        assertThat(bannerShown()).isFalse();
                        assertThat(count("RUNNING")).isEqualTo("6");
                    });
            assertThat(js("return window.hostwatchLoadMarker")).isEqualTo("loaded-once");
        } finally {
            restart.join();
        }
    }

    /** The runner repairs only after its checks passed: a failed check must not leave the next test a broken host. */
    private ScenarioRunner.Outcome runRepairingOnFailure(FaultScenario scenario, FaultScenario.Step whileFaulty)
            throws Exception {
        try {
            return runner.run(scenario, whileFaulty);
        } catch (Exception | AssertionError e) {
            scenario.recover().apply(pipeline);
            throw e;
        }
    }

    private ChromeDriver startBrowser(Path workDir) throws IOException {
        Path driver = ExternalTools.system().requireTool("chromedriver");
        Path chromium = ExternalTools.system().requireTool("chromium");
        // Selenium must use Debian's driver and browser and never fetch either
        System.setProperty("webdriver.chrome.driver", driver.toString());
        System.setProperty("SE_OFFLINE", "true");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .withLogFile(workDir.resolve("logs/chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(workDir.resolve("chromium-profile")),
                "--window-size=1600,1000");
        return new ChromeDriver(service, options);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private String text(String selector) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null", selector);
    }

    /** A real click; retried when the page re-rendered the element between finding and clicking it. */
    private void click(String selector) {
        await().atMost(UI).ignoreException(StaleElementReferenceException.class).until(() -> {
            browser.findElement(By.cssSelector(selector)).click();
            return true;
        });
    }

    private boolean bannerShown() {
        return Boolean.FALSE.equals(js("return document.querySelector('#banner').hidden"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> rowStates() {
        return (Map<String, String>) js("return Object.fromEntries([...document.querySelectorAll('#hosts tbody tr')]"
                + ".map(tr => [tr.dataset.host, tr.dataset.state]))");
    }

    private String firstRowHost() {
        return (String) js("return document.querySelector('#hosts tbody tr').dataset.host");
    }

    private String count(String state) {
        return text("#counts button[data-state='" + state + "'] .n");
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> proberCells(String column) {
        return (Map<String, String>) js(
                "return Object.fromEntries([...document.querySelectorAll('#detail-probers tr[data-prober]')]"
                        + ".map(tr => [tr.dataset.prober, tr.querySelector('td.' + arguments[0]).textContent]))",
                column);
    }

    @SuppressWarnings("unchecked")
    private List<String> timelineStates() {
        return (List<String>)
                js("return [...document.querySelectorAll('#timeline tbody tr')].map(tr => tr.dataset.state)");
    }

    /** Wall-clock time a consumer of host-states first read {@code state} for {@code host}. */
    private long arrivalWallMillis(String host, HostStatus state, long sinceNanos) {
        long arrivedNanos = pipeline.board().arrivalsOf(host, sinceNanos).stream()
                .filter(a -> a.state().getState() == state)
                .findFirst()
                .orElseThrow()
                .arrivedAtNanos();
        return System.currentTimeMillis() - (System.nanoTime() - arrivedNanos) / 1_000_000;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private void record(String timing) {
        LOG.info("Console timing: {}", timing);
        timings.add(timing);
    }

    private void screenshot(String name) throws IOException {
        Files.write(artifacts.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
