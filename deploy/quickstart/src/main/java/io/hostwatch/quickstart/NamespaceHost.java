package io.hostwatch.quickstart;

import io.hostwatch.local.ManagedProcess;
import io.hostwatch.storage.StorageHeartbeat;
import io.hostwatch.testkit.netns.TestHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One compute host of the demo and the end-to-end tests: a network namespace running a stand-in for nova-compute
 * and a real member-agent process watching it, with the faults an operator meets in production.
 */
final class NamespaceHost {
    /** The agent's /health and /metrics port inside its namespace (each host has its own address). */
    static final int OPS_PORT = 9464;

    private final HostSpec spec;
    private final TestHost testHost;
    private final ComponentLauncher launcher;
    private final Map<String, String> agentConfig;
    private final Path pidFile;
    private final Path storageFile;
    private ManagedProcess service;
    private ManagedProcess agent;

    NamespaceHost(
            HostSpec spec,
            TestHost testHost,
            ComponentLauncher launcher,
            Map<String, String> sharedConfig,
            Path storageRoot) {
        this.spec = spec;
        this.testHost = testHost;
        this.launcher = launcher;
        this.pidFile = launcher.workDir().resolve("pids").resolve(spec.id() + ".pid");
        this.storageFile = StorageHeartbeat.file(storageRoot, spec.id());
        Map<String, String> config = new HashMap<>(sharedConfig);
        config.put("host.id", spec.id());
        config.put("agent.address", testHost.address());
        config.put("failure.domain", spec.failureDomain());
        config.put("storage.root", storageRoot.toString());
        config.put("service.check", "pidfile");
        config.put("service.check.pidfile", pidFile.toString());
        config.put("isolation.addresses", testHost.gatewayAddress());
        config.put("isolation.check.method", "ping");
        config.put("ops.bind.address", "0.0.0.0");
        config.put("ops.port", Integer.toString(OPS_PORT));
        config.putAll(spec.agentOverrides());
        this.agentConfig = Map.copyOf(config);
    }

    String id() {
        return spec.id();
    }

    String failureDomain() {
        return spec.failureDomain();
    }

    String address() {
        return testHost.address();
    }

    String opsUrl() {
        return "http://" + testHost.address() + ":" + OPS_PORT;
    }

    /** Starts the stand-in nova-compute and the agent watching it. */
    void start() throws IOException {
        startService();
        Path config = launcher.writeConfig("agent-" + spec.id(), agentConfig);
        agent = testHost.start(
                launcher.command(
                        ComponentLauncher.SMALL_JVM,
                        ComponentLauncher.AGENT_MAIN,
                        List.of("run", "--config", config.toString())),
                logFile(),
                Map.of());
    }

    /** kill -9 of the agent and of the service it watches: the host is up, nothing on it reports. */
    void killAgentAndService() {
        agent.kill();
        service.kill();
    }

    /** kill -9 of the watched service only: the agent stays and sees it gone. */
    void killService() {
        service.kill();
    }

    /** Starts the watched service again (a new process, its pid in the pidfile the agent checks). */
    void restartService() throws IOException {
        startService();
    }

    /**
     * Power loss: every process of the host stops at the same instant (SIGSTOP), then the link goes down and the
     * processes are killed. Without the freeze an agent outliving its link by one interval writes its storage
     * heartbeat on, which is evidence of an isolated host, not of a dead one.
     */
    void powerOff() {
        signal("STOP", agent.pid(), service.pid());
        linkDown();
        killAgentAndService();
    }

    /** Takes the host's network link down (inside the namespace): the host runs on, cut off. */
    void linkDown() {
        testHost.linkDown();
    }

    void linkUp() {
        testHost.linkUp();
    }

    /** Drops the host's traffic to and from the broker port only: it can reach everything but Kafka. */
    void blockBroker(int brokerPort) {
        testHost.blockTcpPort(brokerPort);
    }

    void unblockBroker(int brokerPort) {
        testHost.unblockTcpPort(brokerPort);
    }

    /**
     * Makes the host's storage heartbeat file immutable ({@code chattr +i}): the agent runs as root, so only an
     * immutable file (rename over it fails with EPERM) makes the write fail as a read-only NFS export would.
     */
    void freezeStorage() {
        chattr("+i");
    }

    void thawStorage() {
        chattr("-i");
    }

    Optional<StorageHeartbeat> storageHeartbeat() {
        try {
            return Optional.of(StorageHeartbeat.parse(Files.readAllBytes(storageFile)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean agentAlive() {
        return agent != null && agent.isAlive();
    }

    Path logFile() {
        return launcher.workDir().resolve("logs").resolve("agent-" + spec.id() + ".log");
    }

    void stop() {
        if (agent != null) {
            agent.stop(Duration.ofSeconds(5));
        }
        if (service != null) {
            service.kill();
        }
        if (Files.exists(storageFile)) {
            thawStorage();
        }
    }

    private void startService() throws IOException {
        service = testHost.start(
                List.of("sleep", "infinity"),
                launcher.workDir().resolve("logs").resolve("service-" + spec.id() + ".log"),
                Map.of());
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, service.pid() + "\n");
    }

    private static void signal(String name, long... pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name));
        for (long pid : pids) {
            command.add(Long.toString(pid));
        }
        run(command);
    }

    private void chattr(String flag) {
        run(List.of("chattr", flag, storageFile.toString()));
    }

    private static void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
