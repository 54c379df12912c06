package io.hostwatch.prober;

import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * ICMP echo through the system {@code ping} (iputils): {@code ping -n -c COUNT -i INTERVAL -W TIMEOUT IP}, its
 * output read as it comes, and the process killed at the first reply so an answering host costs one round trip.
 * Chosen over {@code InetAddress.isReachable}, which silently falls back to a TCP connect to port 7 when it may not
 * open raw sockets (a refused or filtered echo port is then taken for host state) and reports no RTT and no
 * reason; ping works unprivileged (file capability / ping sockets), says why it failed and prints the RTT.
 *
 * <p>One thread per running ping (the JDK needs one per child process anyway), at most
 * {@code probe.ping.max.concurrent} of them; further pings queue, and one whose deadline passed while it waited is
 * not run.
 */
final class IcmpPinger implements Pinger {
    private final String command;
    private final int count;
    private final Duration interval;
    private final Duration timeout;
    private final int maxConcurrent;
    private final AddressResolver resolver;
    private final ThreadPoolExecutor pool;

    IcmpPinger(
            String command,
            int count,
            Duration interval,
            Duration timeout,
            int maxConcurrent,
            AddressResolver resolver) {
        this.command = command;
        this.count = count;
        this.interval = interval;
        this.timeout = timeout;
        this.maxConcurrent = maxConcurrent;
        this.resolver = resolver;
        this.pool = new ThreadPoolExecutor(
                maxConcurrent,
                maxConcurrent,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new DaemonThreadFactory("prober-icmp"));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Fails with a clear message if the ping command cannot run at all (not installed, no permission). */
    static Optional<String> unusableReason(String command) {
        try {
            Process process =
                    new ProcessBuilder(command, "-V").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.of("'" + command + " -V' failed: " + output.strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(
                    "cannot run '" + command + "' (not on the PATH? install iputils-ping, or use probe.ping.method="
                            + "tcp:<port>): " + e.getMessage());
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
                .thenApplyAsync(
                        ip -> deadline.passed()
                                ? Outcomes.pingError(
                                        PingMethod.ICMP,
                                        "not pinged: the " + "deadline passed while the ping waited for one of "
                                                + maxConcurrent + " ping slots")
                                : run(ip),
                        pool)
                .exceptionally(error -> Outcomes.pingError(PingMethod.ICMP, Failures.describe(error)));
    }

    private PingOutcome run(InetAddress address) {
        List<String> args = List.of(
                command,
                "-n",
                "-c",
                Integer.toString(count),
                "-i",
                seconds(interval),
                "-W",
                seconds(timeout),
                address.getHostAddress());
        Process process;
        try {
            process = new ProcessBuilder(args).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Outcomes.pingError(PingMethod.ICMP, "cannot run " + command + ": " + e.getMessage());
        }
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Optional<Long> rtt = IcmpReplies.replyRttMicros(line);
                if (rtt.isPresent()) {
                    process.destroyForcibly();
                    return Outcomes.pingOk(PingMethod.ICMP, rtt.get(), null);
                }
                output.append(line).append('\n');
            }
            long bound =
                    interval.multipliedBy(count).plus(timeout).plusSeconds(2).toMillis();
            if (!process.waitFor(bound, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Outcomes.pingError(PingMethod.ICMP, "ping did not exit within " + bound + " ms");
            }
            return IcmpReplies.classifyExit(process.exitValue(), output.toString());
        } catch (IOException e) {
            process.destroyForcibly();
            return Outcomes.pingError(PingMethod.ICMP, "reading ping output: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Outcomes.pingError(PingMethod.ICMP, "interrupted");
        }
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
