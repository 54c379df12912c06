package io.hostwatch.quickstart;

import io.hostwatch.local.FreePorts;
import io.hostwatch.local.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The central part of the pipeline on this machine: one detector-stream and two probers (two vantage points,
 * as the contract recommends: the detector publishes DEAD/ISOLATED at once when both agree), each its own JVM with its
 * ops endpoint on 127.0.0.1. The detector can be killed and restarted (as a crash would) with its state kept.
 */
final class CentralServices implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ComponentLauncher launcher;
    private final Endpoints endpoints;
    private final Profile profile;
    private final Path storageRoot;
    private final int detectorPort = FreePorts.next();
    private static final int PROBERS = 2;
    private static final String STORAGE_SELFCHECK_OK = "hostwatch_prober_selfcheck_ok{part=\"storage\"} 1";

    private final List<Integer> proberPorts = new ArrayList<>();
    private final List<ManagedProcess> probers = new ArrayList<>();
    private ManagedProcess detector;

    /** Authentication settings of the detector and of the probers (keys made by {@link QuickStartKeys}). */
    private final Map<String, String> detectorSecurity;

    private final Map<String, String> proberSecurity;

    private CentralServices(
            ComponentLauncher launcher,
            Endpoints endpoints,
            Profile profile,
            Path storageRoot,
            Map<String, String> detectorSecurity,
            Map<String, String> proberSecurity) {
        this.detectorSecurity = Map.copyOf(detectorSecurity);
        this.proberSecurity = Map.copyOf(proberSecurity);
        this.launcher = launcher;
        this.endpoints = endpoints;
        this.profile = profile;
        this.storageRoot = storageRoot;
    }

    /** The probers' self-check reaches the broker (their default reference): it is this machine's own address. */
    static CentralServices start(
            ComponentLauncher launcher,
            Endpoints endpoints,
            Profile profile,
            Path storageRoot,
            Map<String, String> detectorSecurity,
            Map<String, String> proberSecurity)
            throws IOException, InterruptedException {
        CentralServices services =
                new CentralServices(launcher, endpoints, profile, storageRoot, detectorSecurity, proberSecurity);
        try {
            for (int i = 1; i <= PROBERS; i++) {
                services.startProber(i);
            }
            services.startDetector();
            return services;
        } catch (IOException | InterruptedException | RuntimeException e) {
            services.close();
            throw e;
        }
    }

    String detectorUrl() {
        return "http://127.0.0.1:" + detectorPort;
    }

    String proberUrl(int index) {
        return "http://127.0.0.1:" + proberPorts.get(index - 1);
    }

    /** Kills the detector (SIGKILL) and starts it again on the same state directory. */
    void crashAndRestartDetector() throws IOException, InterruptedException {
        detector.kill();
        startDetector();
    }

    /** Kills prober {@code index} (1-based, SIGKILL), as a crash of its machine would. */
    void killProber(int index) throws InterruptedException {
        probers.get(index - 1).kill();
    }

    /**
     * Waits until every running prober's last self-check found its storage readable (metric
     * {@code hostwatch_prober_selfcheck_ok{part="storage"}}): until then it answers storage ERROR from its cached
     * result, which would colour the next verdict.
     */
    void awaitProbersSeeStorage(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int index = 1; index <= probers.size(); index++) {
            if (!probers.get(index - 1).isAlive()) {
                continue;
            }
            while (!HealthProbe.metrics(proberUrl(index)).contains(STORAGE_SELFCHECK_OK)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("prober-" + index + " does not see its storage after " + timeout);
                }
                Thread.sleep(200);
            }
        }
    }

    /** {@link #restartProber} if prober {@code index} is not running. */
    void startProberIfDown(int index) throws IOException, InterruptedException {
        if (!probers.get(index - 1).isAlive()) {
            restartProber(index);
        }
    }

    /** Starts prober {@code index} again, same id and consumer group, and waits until it is healthy. */
    void restartProber(int index) throws IOException, InterruptedException {
        ManagedProcess old = probers.get(index - 1);
        old.kill();
        old.close();
        ManagedProcess prober = launchProber(index, proberPorts.get(index - 1));
        probers.set(index - 1, prober);
        HealthProbe.awaitUp(
                "prober-" + index,
                proberUrl(index),
                prober::isAlive,
                START_TIMEOUT,
                prober.logFile().toString());
    }

    private void startDetector() throws IOException, InterruptedException {
        Map<String, String> config = new HashMap<>(endpoints.clusterConfig());
        config.putAll(profile.detector());
        config.putAll(detectorSecurity);
        config.put("application.id", "hostwatch-detector");
        config.put("instance.id", "detector-1");
        config.put("state.dir", launcher.workDir().resolve("detector-state").toString());
        config.put("ops.bind.address", "127.0.0.1");
        config.put("ops.port", Integer.toString(detectorPort));
        Path file = launcher.writeConfig("detector", config);
        detector = ManagedProcess.start(
                "detector-stream",
                launcher.command(
                        ComponentLauncher.SERVICE_JVM,
                        ComponentLauncher.DETECTOR_MAIN,
                        List.of("run", "--config", file.toString())),
                launcher.workDir(),
                launcher.workDir().resolve("logs/detector.log"),
                Map.of());
        ManagedProcess started = detector;
        HealthProbe.awaitUp(
                "detector-stream",
                detectorUrl(),
                started::isAlive,
                START_TIMEOUT,
                started.logFile().toString());
    }

    private void startProber(int index) throws IOException, InterruptedException {
        int port = FreePorts.next();
        ManagedProcess prober = launchProber(index, port);
        probers.add(prober);
        proberPorts.add(port);
        HealthProbe.awaitUp(
                "prober-" + index,
                "http://127.0.0.1:" + port,
                prober::isAlive,
                START_TIMEOUT,
                prober.logFile().toString());
    }

    private ManagedProcess launchProber(int index, int port) throws IOException {
        Map<String, String> config = new HashMap<>(endpoints.clusterConfig());
        config.putAll(profile.prober());
        config.putAll(proberSecurity);
        config.put("prober.id", "prober-" + index);
        config.put("storage.root", storageRoot.toString());
        config.put("ops.bind.address", "127.0.0.1");
        config.put("ops.port", Integer.toString(port));
        Path file = launcher.writeConfig("prober-" + index, config);
        return ManagedProcess.start(
                "prober-" + index,
                launcher.command(
                        ComponentLauncher.SERVICE_JVM,
                        ComponentLauncher.PROBER_MAIN,
                        List.of("run", "--config", file.toString())),
                launcher.workDir(),
                launcher.workDir().resolve("logs/prober-" + index + ".log"),
                Map.of());
    }

    @Override
    public void close() {
        if (detector != null) {
            detector.close();
        }
        probers.forEach(ManagedProcess::close);
    }
}
