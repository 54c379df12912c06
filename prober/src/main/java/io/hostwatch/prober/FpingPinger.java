package io.hostwatch.prober;

import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP echo for many hosts at once through fping: pings arriving within {@code probe.icmp.batch.window.ms} of each
 * other (at most {@code probe.icmp.batch.size}) share one {@code fping -c COUNT -p INTERVAL -t TIMEOUT -i 1 IP...}
 * process, whose per-reply lines are read as they come, so an answering host is OK after one round trip while fping
 * goes on with the silent ones. One {@code ping} process per probe costs ~5-10 ms of CPU each and capped the prober
 * at ~100 ICMP probes/s; one fping per batch makes that cost per batch.
 *
 * <p>Outcomes mean what {@link IcmpPinger}'s do ({@link FpingTranscript} reads the output): a batch fping could not
 * run, that died or was stopped leaves its unanswered targets ERROR, never FAILED. One thread per running fping
 * reads its output, at most {@code ceil(probe.ping.max.concurrent / batch size)} of them; further batches wait,
 * and a ping whose deadline passed while its batch waited is not run. A process is killed once every target has
 * answered, or at the longest a silent batch can take plus a margin.
 */
final class FpingPinger implements Pinger {
    private static final Logger LOG = LoggerFactory.getLogger(FpingPinger.class);
    /** fping's minimum gap between two packets of one process (non-root): a batch of B sends B packets per round. */
    private static final int SEND_GAP_MS = 1;

    private static final Duration KILL_MARGIN = Duration.ofSeconds(2);

    private final List<String> baseCommand;
    private final int count;
    private final int batchSize;
    private final Duration window;
    private final Duration processBound;
    private final int maxProcesses;
    private final AddressResolver resolver;
    private final ThreadPoolExecutor processes;
    private final ScheduledThreadPoolExecutor timer;

    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private List<Waiting> pending = new ArrayList<>();

    private record Waiting(String address, Deadline deadline, CompletableFuture<PingOutcome> result) {}

    FpingPinger(
            String command,
            int count,
            Duration interval,
            Duration timeout,
            int maxConcurrent,
            int batchSize,
            Duration window,
            AddressResolver resolver) {
        this.baseCommand = List.of(
                command,
                "-c",
                Integer.toString(count),
                "-p",
                Long.toString(interval.toMillis()),
                "-t",
                Long.toString(timeout.toMillis()),
                "-i",
                Integer.toString(SEND_GAP_MS));
        this.count = count;
        this.batchSize = batchSize;
        this.window = window;
        this.processBound = interval.multipliedBy(count - 1L)
                .plus(timeout)
                .plusMillis((long) batchSize * count * SEND_GAP_MS)
                .plus(KILL_MARGIN);
        this.maxProcesses = Math.max(1, (maxConcurrent + batchSize - 1) / batchSize);
        this.resolver = resolver;
        this.processes = new ThreadPoolExecutor(
                maxProcesses,
                maxProcesses,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new DaemonThreadFactory("prober-fping"));
        this.processes.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("prober-fping-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** Why {@code command} cannot be used (not installed, no permission), or empty if {@code fping -v} works. */
    static Optional<String> unusableReason(String command) {
        try {
            Process process =
                    new ProcessBuilder(command, "-v").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Optional.of("'" + command + " -v' failed: " + output.strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run '" + command + "' (not on the PATH? install fping): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted checking '" + command + "'");
        }
    }

    @Override
    public PingMethod method() {
        return PingMethod.ICMP;
    }

    @Override
    public CompletableFuture<PingOutcome> ping(String address, Deadline deadline) {
        return resolver.resolve(address, deadline)
                .thenCompose(ip -> enqueue(ip.getHostAddress(), deadline))
                .exceptionally(error -> Outcomes.pingError(PingMethod.ICMP, Failures.describe(error)));
    }

    private CompletableFuture<PingOutcome> enqueue(String address, Deadline deadline) {
        Waiting waiting = new Waiting(address, deadline, new CompletableFuture<>());
        if (address.contains("%")) {
            // a scoped IPv6 address fping might refuse would fail its whole batch: it gets one of its own
            submit(List.of(waiting));
            return waiting.result();
        }
        List<Waiting> full = null;
        synchronized (lock) {
            pending.add(waiting);
            if (pending.size() >= batchSize) {
                full = takePending();
            } else if (pending.size() == 1) {
                scheduleFlush();
            }
        }
        if (full != null) {
            submit(full);
        }
        return waiting.result();
    }

    private void scheduleFlush() {
        try {
            timer.schedule(this::flush, window.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the pings are answered ERROR by close()
        }
    }

    private void flush() {
        List<Waiting> batch;
        synchronized (lock) {
            batch = takePending();
        }
        if (!batch.isEmpty()) {
            submit(batch);
        }
    }

    private List<Waiting> takePending() {
        List<Waiting> batch = pending;
        pending = new ArrayList<>();
        return batch;
    }

    private void submit(List<Waiting> batch) {
        try {
            processes.execute(() -> run(batch));
        } catch (RejectedExecutionException e) {
            batch.forEach(w -> w.result().complete(Outcomes.pingError(PingMethod.ICMP, "prober is stopping")));
        }
    }

    private void run(List<Waiting> batch) {
        Map<String, List<Waiting>> byAddress = new LinkedHashMap<>();
        for (Waiting waiting : batch) {
            if (waiting.deadline().passed()) {
                waiting.result()
                        .complete(Outcomes.pingError(
                                PingMethod.ICMP,
                                "not pinged: the deadline passed while the ping waited for one of " + maxProcesses
                                        + " fping processes"));
            } else {
                byAddress
                        .computeIfAbsent(waiting.address(), key -> new ArrayList<>())
                        .add(waiting);
            }
        }
        if (byAddress.isEmpty()) {
            return;
        }
        try {
            ping(byAddress);
        } catch (RuntimeException e) {
            LOG.warn("fping batch of {} targets failed", byAddress.size(), e);
        } finally {
            // whatever went wrong, no ping is left unanswered, and none becomes FAILED without evidence
            byAddress
                    .values()
                    .forEach(list -> list.forEach(w -> w.result()
                            .complete(Outcomes.pingError(
                                    PingMethod.ICMP, "fping ended without a result for this target"))));
        }
    }

    private void ping(Map<String, List<Waiting>> byAddress) {
        List<String> command = new ArrayList<>(baseCommand);
        command.addAll(byAddress.keySet());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            completeAll(byAddress, Outcomes.pingError(PingMethod.ICMP, "cannot run fping: " + e.getMessage()));
            return;
        }
        running.add(process);
        AtomicBoolean stopped = new AtomicBoolean();
        ScheduledFuture<?> watchdog = timer.schedule(
                () -> {
                    stopped.set(true);
                    process.destroyForcibly();
                },
                processBound.toMillis(),
                TimeUnit.MILLISECONDS);
        FpingTranscript transcript = new FpingTranscript(count);
        int unanswered = byAddress.size();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Optional<FpingTranscript.Settled> settled = transcript.accept(line);
                if (settled.isPresent()) {
                    List<Waiting> waiting = byAddress.get(settled.get().target());
                    if (waiting != null && !waiting.get(0).result().isDone()) {
                        waiting.forEach(w -> w.result().complete(settled.get().outcome()));
                        if (--unanswered == 0) {
                            // every target settled: fping's remaining echo requests would tell nothing new
                            stopped.set(true);
                            process.destroyForcibly();
                        }
                    }
                }
            }
            int exit = process.waitFor(KILL_MARGIN.toMillis(), TimeUnit.MILLISECONDS) && !stopped.get()
                    ? process.exitValue()
                    : -1;
            byAddress.forEach((address, waiting) -> {
                if (!waiting.get(0).result().isDone()) {
                    PingOutcome outcome = transcript.unanswered(address, exit);
                    waiting.forEach(w -> w.result().complete(outcome));
                }
            });
        } catch (IOException e) {
            completeAll(byAddress, Outcomes.pingError(PingMethod.ICMP, "reading fping output: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            completeAll(byAddress, Outcomes.pingError(PingMethod.ICMP, "interrupted"));
        } finally {
            watchdog.cancel(false);
            process.destroyForcibly();
            running.remove(process);
        }
    }

    private static void completeAll(Map<String, List<Waiting>> byAddress, PingOutcome outcome) {
        byAddress.values().forEach(list -> list.forEach(w -> w.result().complete(outcome)));
    }

    @Override
    public void close() {
        List<Waiting> left;
        synchronized (lock) {
            left = takePending();
        }
        left.forEach(w -> w.result().complete(Outcomes.pingError(PingMethod.ICMP, "prober is stopping")));
        timer.shutdownNow();
        processes.shutdownNow();
        // the reader threads do not notice an interrupt; ending their processes ends their reads
        running.forEach(Process::destroyForcibly);
    }
}
