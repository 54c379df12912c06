package io.hostwatch.quickstart;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fault-to-verdict latency on real processes: injects each fault type {@code --rounds} times into test hosts in
 * network namespaces and measures the time from injection to the correct event on {@code hostwatch.host-states},
 * as Nova's consumer sees it. Each round injects one fault of every type at once, each into its own failure
 * domain (one host in four: below the mass-failure guard), so the rounds run in parallel like independent
 * incidents. Prints p50/p90/p99/max per fault type and counts wrong verdicts. The first {@code --warmup} rounds are
 * not timed (a fresh pipeline's first probes pay for JIT compilation, first registry lookups and first {@code ping}
 * processes), but their wrong verdicts count like any other. Exits 1, listing why, if any round had a wrong,
 * missing or inconclusive verdict or a host that did not recover (judged by {@link VerdictJudge}): a benchmark that
 * measured the wrong verdicts measured nothing.
 */
@Command(
        name = "latency-benchmark",
        mixinStandardHelpOptions = true,
        description = "Measures fault-injection-to-host-state latency per fault type.")
public final class LatencyBenchmark implements Callable<Integer> {
    private static final int HOSTS_PER_DOMAIN = 4;
    private static final List<String> FAULTS =
            List.of("service-crash", "isolated", "dead", "partitioned", "storage-degraded");

    @Option(names = "--profile", defaultValue = "default", description = "default or fast (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(
            names = "--rounds",
            defaultValue = "30",
            description = "Injections per fault type (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            description =
                    "Rounds run first and not timed; their wrong verdicts still count (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--work-dir", defaultValue = "deploy/quickstart/target/latency-benchmark")
    Path workDir;

    public static void main(String... args) {
        System.exit(new CommandLine(new LatencyBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || warmup < 0) {
            System.err.println("latency-benchmark: --rounds must be at least 1 and --warmup at least 0");
            return 2;
        }
        Map<String, Function<String, FaultScenario>> faults = new LinkedHashMap<>();
        faults.put("service-crash", FaultMatrix::serviceCrash);
        faults.put("isolated", FaultMatrix::isolated);
        faults.put("dead", FaultMatrix::dead);
        faults.put("partitioned", FaultMatrix::partitioned);
        faults.put("storage-degraded", FaultMatrix::storageDegraded);
        List<HostSpec> hosts = new ArrayList<>();
        for (int domain = 0; domain < FAULTS.size(); domain++) {
            for (int i = 1; i <= HOSTS_PER_DOMAIN; i++) {
                hosts.add(new HostSpec(String.format(Locale.ROOT, "bench-%d-%d", domain + 1, i), "az-" + (domain + 1)));
            }
        }
        Path dir = workDir.toAbsolutePath();
        WorkDirectory.wipe(dir);
        Profile timing = Profile.named(profile);
        Map<String, List<Duration>> latencies = new LinkedHashMap<>();
        Map<String, Integer> wrong = new LinkedHashMap<>();
        Map<String, Integer> missing = new LinkedHashMap<>();
        Map<String, Integer> inconclusive = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        FAULTS.forEach(f -> {
            latencies.put(f, new ArrayList<>());
            wrong.put(f, 0);
            missing.put(f, 0);
            inconclusive.put(f, 0);
        });
        try (LocalPipeline pipeline =
                LocalPipeline.start(new LocalPipeline.Settings(dir, 0, 0, 12, timing, hosts, true))) {
            if (!pipeline.hasNamespaceHosts()) {
                System.err.println(
                        "latency-benchmark needs network namespaces (root + iproute2): " + pipeline.modeDescription());
                return 2;
            }
            ScenarioRunner runner = new ScenarioRunner(pipeline, Duration.ofSeconds(30), Duration.ofSeconds(60));
            runner.awaitHealthy(hosts.stream().map(HostSpec::id).toList(), Duration.ofSeconds(180));
            ExecutorService pool = Executors.newFixedThreadPool(FAULTS.size());
            try {
                for (int round = 0; round < warmup + rounds; round++) {
                    boolean timed = round >= warmup;
                    String label = timed ? (round - warmup + 1) + "/" + rounds : "warm-up " + (round + 1);
                    StringBuilder times = new StringBuilder();
                    int host = round % HOSTS_PER_DOMAIN + 1;
                    List<Future<ScenarioRunner.Outcome>> outcomes = new ArrayList<>();
                    for (int domain = 0; domain < FAULTS.size(); domain++) {
                        String fault = FAULTS.get(domain);
                        String id = String.format(Locale.ROOT, "bench-%d-%d", domain + 1, host);
                        outcomes.add(
                                pool.submit(() -> runner.run(faults.get(fault).apply(id))));
                    }
                    for (int domain = 0; domain < FAULTS.size(); domain++) {
                        String fault = FAULTS.get(domain);
                        ScenarioRunner.Outcome outcome = outcomes.get(domain).get();
                        for (Optional<Duration> latency : outcome.latency().values()) {
                            times.append(' ')
                                    .append(fault)
                                    .append('=')
                                    .append(latency.map(l -> l.toMillis() + "ms")
                                            .orElse("missing"));
                            if (latency.isEmpty()) {
                                missing.merge(fault, 1, Integer::sum);
                            } else if (timed) {
                                latencies.get(fault).add(latency.get());
                            }
                        }
                        wrong.merge(fault, outcome.wrongVerdicts().size(), Integer::sum);
                        inconclusive.merge(fault, outcome.inconclusive().size(), Integer::sum);
                        for (String problem : outcome.problems()) {
                            failures.add("round " + label + " " + fault + ": " + problem);
                            System.err.printf(Locale.ROOT, "round %s %s: %s%n", label, fault, problem);
                        }
                    }
                    System.err.printf(Locale.ROOT, "round %s:%s%n", label, times);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "profile %s (heartbeat %d ms, timeout %d ms), %d rounds after %d warm-up, %d " + "hosts%n",
                timing.name(),
                timing.heartbeatIntervalMs(),
                timing.heartbeatTimeoutMs(),
                rounds,
                warmup,
                hosts.size());
        System.out.printf(
                Locale.ROOT,
                "%-17s %6s %8s %8s %8s %8s %7s %8s %13s%n",
                "fault",
                "n",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "max ms",
                "wrong",
                "missing",
                "inconclusive");
        for (String fault : FAULTS) {
            List<Duration> sorted = new ArrayList<>(latencies.get(fault));
            Collections.sort(sorted);
            System.out.printf(
                    Locale.ROOT,
                    "%-17s %6d %8s %8s %8s %8s %7d %8d %13d%n",
                    fault,
                    sorted.size(),
                    percentile(sorted, 50),
                    percentile(sorted, 90),
                    percentile(sorted, 99),
                    percentile(sorted, 100),
                    wrong.get(fault),
                    missing.get(fault),
                    inconclusive.get(fault));
        }
        if (!failures.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "FAILED: %d problem(s) in %d round(s) (wrong, missing or inconclusive verdicts, or no recovery):%n",
                    failures.size(),
                    warmup + rounds);
            failures.forEach(System.out::println);
            return 1;
        }
        return 0;
    }

    private static String percentile(List<Duration> sorted, int p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return Long.toString(sorted.get(Math.max(0, index)).toMillis());
    }
}
