package io.hostwatch.prober;

import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.testkit.netns.TestHost;
import io.hostwatch.testkit.netns.TestNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A rack goes silent: {@code --silent} hosts (addresses of a namespace test network routed to a test host whose link
 * is down: real ICMP timeouts, nothing leaves the machine) and {@code --live} loopback hosts (127.1.0.0/16) are all
 * pinged at the same instant, through the old one-ping-process-per-probe path and through fping batches, one after
 * the other in the same run, with the prober's default ICMP settings (3 attempts 200 ms apart, 1 s timeout: a
 * silent host takes 1.4 s however fast the tool is). Latency is from the ping call to its outcome; "added" is that
 * minus the floor (1.4 s for a silent host, 0 for a live one). The deadline is long so that every ping runs and the
 * capacity shows; how many would have missed the prober's 2 s deadline is counted.
 *
 * <p>Run with {@code prober/icmp-bench.sh [options]} (root, iproute2, iputils-ping, fping). Measures the pinger
 * layer only (no broker): with fping the pinger is no longer what limits a prober (see prober/README.md).
 */
@Command(name = "icmp-burst-benchmark", mixinStandardHelpOptions = true)
final class IcmpBurstBenchmark implements Callable<Integer> {
    @Option(names = "--silent", defaultValue = "1000", description = "Silent hosts (namespace addresses).")
    int silent;

    @Option(names = "--live", defaultValue = "1000", description = "Answering hosts (loopback addresses).")
    int live;

    @Option(names = "--tools", split = ",", defaultValue = "fping,ping", description = "ICMP tools, in order.")
    List<String> tools;

    @Option(
            names = "--batch-sizes",
            split = ",",
            defaultValue = "64",
            description = "fping batch sizes to measure (probe.icmp.batch.size), each a run of its own.")
    List<Integer> batchSizes;

    @Option(names = "--rounds", defaultValue = "1", description = "Bursts per tool (alternating tools).")
    int rounds;

    private final PrintStream out;

    private IcmpBurstBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String... args) {
        System.exit(new CommandLine(new IcmpBurstBenchmark(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        out.println("uptime before: " + uptime());
        try (TestNetwork network = TestNetwork.create(Math.max(8, silent / 3))) {
            TestHost rack = network.addHost("rack");
            List<String> silentHosts = network.spareAddressesVia(rack, silent);
            rack.linkDown();
            List<String> liveHosts = new ArrayList<>();
            for (int i = 0; i < live; i++) {
                liveHosts.add("127.1." + (i / 250) + "." + (i % 250 + 1));
            }
            out.printf(
                    Locale.ROOT,
                    "%d silent hosts in %s (routed to %s, link down), %d live on loopback; %d cores%n",
                    silent,
                    network.subnet(),
                    rack.address(),
                    live,
                    Runtime.getRuntime().availableProcessors());
            out.println(
                    "| tool | all pinged after ms | silent | live | wall s | probes/s | silent FAILED | live OK | ERROR | past 2 s "
                            + "| silent p50 / p99 / max ms | added p99 ms | live p50 / p99 / max ms |");
            out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (int round = 0; round < rounds; round++) {
                for (String tool : tools) {
                    if ("fping".equals(tool)) {
                        for (int batchSize : batchSizes) {
                            burst(tool, batchSize, silentHosts, liveHosts);
                        }
                    } else {
                        burst(tool, 0, silentHosts, liveHosts);
                    }
                }
            }
        }
        out.println("uptime after: " + uptime());
        return 0;
    }

    private void burst(String tool, int batchSize, List<String> silentHosts, List<String> liveHosts) throws Exception {
        Duration interval = Duration.ofMillis(ProberConfig.PING_INTERVAL_MS_DEFAULT);
        Duration timeout = Duration.ofMillis(ProberConfig.PING_TIMEOUT_MS_DEFAULT);
        int count = ProberConfig.PING_COUNT_DEFAULT;
        long floorMillis = interval.multipliedBy(count - 1L).plus(timeout).toMillis();
        try (AddressResolver resolver = new AddressResolver(2);
                Pinger pinger = "fping".equals(tool)
                        ? new FpingPinger(
                                "fping",
                                count,
                                interval,
                                timeout,
                                ProberConfig.FPING_MAX_CONCURRENT_AUTO,
                                batchSize,
                                Duration.ofMillis(ProberConfig.ICMP_BATCH_WINDOW_MS_DEFAULT),
                                resolver)
                        : new IcmpPinger(
                                "ping", count, interval, timeout, ProberConfig.ICMP_MAX_CONCURRENT_AUTO, resolver)) {
            // warm-up: a running prober has its code compiled and its threads started before a rack fails
            List<CompletableFuture<PingOutcome>> warmUp = new ArrayList<>();
            for (String address : liveHosts.subList(0, Math.min(200, liveHosts.size()))) {
                warmUp.add(pinger.ping(address, Deadline.in(Duration.ofMinutes(1))));
            }
            CompletableFuture.allOf(warmUp.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            List<String> all = new ArrayList<>(silentHosts);
            all.addAll(liveHosts);
            Collections.shuffle(all, new java.util.Random(42));
            java.util.Set<String> silentSet = new java.util.HashSet<>(silentHosts);
            Deadline deadline = Deadline.in(Duration.ofMinutes(5));
            long start = System.nanoTime();
            List<CompletableFuture<long[]>> done = new ArrayList<>();
            for (String address : all) {
                boolean isSilent = silentSet.contains(address);
                done.add(pinger.ping(address, deadline)
                        .thenApply(outcome -> new long[] {
                            (System.nanoTime() - start) / 1_000_000, isSilent ? 1 : 0, code(outcome, isSilent)
                        }));
            }
            long submittedMillis = (System.nanoTime() - start) / 1_000_000;
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            double wall = (System.nanoTime() - start) / 1e9;
            List<Long> silentMs = new ArrayList<>();
            List<Long> liveMs = new ArrayList<>();
            Map<Result, Integer> results = new EnumMap<>(Result.class);
            int late = 0;
            for (CompletableFuture<long[]> future : done) {
                long[] r = future.join();
                (r[1] == 1 ? silentMs : liveMs).add(r[0]);
                results.merge(Result.values()[(int) r[2]], 1, Integer::sum);
                if (r[0] > ProberConfig.DEADLINE_MS_DEFAULT) {
                    late++;
                }
            }
            Collections.sort(silentMs);
            Collections.sort(liveMs);
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %.2f | %.0f | %d | %d | %d | %d | %s | %d | %s |%n",
                    batchSize > 0 ? tool + " (batch " + batchSize + ")" : tool,
                    submittedMillis,
                    silentHosts.size(),
                    liveHosts.size(),
                    wall,
                    all.size() / wall,
                    results.getOrDefault(Result.SILENT_FAILED, 0),
                    results.getOrDefault(Result.LIVE_OK, 0),
                    results.getOrDefault(Result.ERROR, 0),
                    late,
                    percentiles(silentMs),
                    silentMs.isEmpty() ? 0 : percentile(silentMs, 0.99) - floorMillis,
                    percentiles(liveMs));
        }
    }

    private enum Result {
        SILENT_FAILED,
        LIVE_OK,
        WRONG,
        ERROR
    }

    private static long code(PingOutcome outcome, boolean silent) {
        if (outcome.getStatus() == PingStatus.ERROR) {
            return Result.ERROR.ordinal();
        }
        if (silent && outcome.getStatus() == PingStatus.FAILED) {
            return Result.SILENT_FAILED.ordinal();
        }
        if (!silent && outcome.getStatus() == PingStatus.OK) {
            return Result.LIVE_OK.ordinal();
        }
        return Result.WRONG.ordinal();
    }

    private static String percentiles(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return percentile(sorted, 0.50) + " / " + percentile(sorted, 0.99) + " / " + sorted.get(sorted.size() - 1);
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static String uptime() {
        try {
            Process process =
                    new ProcessBuilder("uptime").redirectErrorStream(true).start();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line = reader.readLine();
                process.waitFor(5, TimeUnit.SECONDS);
                return line == null ? "?" : line.strip();
            }
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "? (interrupted)";
        }
    }
}
