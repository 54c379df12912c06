package io.hostwatch.agent.isolation;

import io.hostwatch.agent.ShellCommand;
import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code isolation.response}: the operator's commands for entering and leaving isolation, run on their own thread
 * so that a slow {@code systemctl stop} never holds up connectivity checks or heartbeats.
 */
public final class IsolationResponse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IsolationResponse.class);

    private final Optional<ShellCommand> onIsolated;
    private final Optional<ShellCommand> onRecovered;
    private final String hosts;
    private final ExecutorService executor;

    public IsolationResponse(Optional<ShellCommand> onIsolated, Optional<ShellCommand> onRecovered, String hosts) {
        this.onIsolated = onIsolated;
        this.onRecovered = onRecovered;
        this.hosts = hosts;
        this.executor = Executors.newSingleThreadExecutor(new DaemonThreadFactory("isolation-response"));
    }

    public String describe() {
        return onIsolated.map(c -> "command '" + c.command() + "'").orElse("none");
    }

    public void isolated() {
        onIsolated.ifPresent(command -> submit(command, "isolated"));
    }

    public void recovered() {
        onRecovered.ifPresent(command -> submit(command, "recovered"));
    }

    private void submit(ShellCommand command, String event) {
        try {
            executor.execute(() -> run(command, event));
        } catch (RejectedExecutionException e) {
            LOG.warn("event=isolation.response_skipped trigger={} reason=\"agent shutting down\"", event);
        }
    }

    private void run(ShellCommand command, String event) {
        LOG.warn("event=isolation.response_running trigger={} command=\"{}\"", event, command.command());
        try {
            ShellCommand.Outcome outcome = command.run(Map.of("HOSTWATCH_EVENT", event, "HOSTWATCH_HOSTS", hosts));
            if (outcome.exited() && outcome.exitCode() == 0) {
                LOG.warn("event=isolation.response_done trigger={} result=\"{}\"", event, outcome.describe());
            } else {
                LOG.error("event=isolation.response_failed trigger={} result=\"{}\"", event, outcome.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
