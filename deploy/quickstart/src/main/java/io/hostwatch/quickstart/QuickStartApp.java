package io.hostwatch.quickstart;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local quick start and demo: the whole pipeline on this machine (real broker, registry, detector, prober
 * and compute hosts, each its own process), then a live walk through the fault matrix with an updating table of
 * host states, until Ctrl-C.
 */
@Command(
        name = "run-local.sh",
        mixinStandardHelpOptions = true,
        description = "Runs the hostwatch pipeline locally and walks through the fault matrix, until Ctrl-C.")
public final class QuickStartApp implements Callable<Integer> {

    @Option(
            names = "--work-dir",
            description = "Data and logs of this run (wiped at start; default: ${DEFAULT-VALUE}).",
            defaultValue = "deploy/quickstart/target/run")
    Path workDir;

    @Option(
            names = "--broker-port",
            description = "Kafka client port (default: ${DEFAULT-VALUE}).",
            defaultValue = "9092")
    int brokerPort;

    @Option(
            names = "--registry-port",
            description = "Schema registry port (default: ${DEFAULT-VALUE}).",
            defaultValue = "8081")
    int registryPort;

    @Option(
            names = "--partitions",
            description = "Partitions per topic (default: ${DEFAULT-VALUE}).",
            defaultValue = "12")
    int partitions;

    @Option(
            names = "--profile",
            description = "Timing: default (1 s heartbeats, 3 s timeout) or fast "
                    + "(250 ms, 1 s). Default: ${DEFAULT-VALUE}.",
            defaultValue = "default")
    String profile;

    @Option(names = "--no-faults", description = "Just run the pipeline; inject no faults.")
    boolean noFaults;

    @Option(
            names = "--no-namespaces",
            description = "Simulate the hosts in one agent process on loopback even "
                    + "when network namespaces are available (no faults then).")
    boolean noNamespaces;

    @Option(
            names = "--nova",
            description = "Also run a real Nova API (Debian's python3-nova) with a nova-compute service per host, "
                    + "and hostwatch-nova applying every verdict to it; show Nova's view after each fault.")
    boolean nova;

    private final PrintStream out;

    QuickStartApp(PrintStream out) {
        this.out = out;
    }

    public static void main(String... args) {
        System.exit(new CommandLine(new QuickStartApp(System.out)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        requireFree(brokerPort, "--broker-port");
        requireFree(registryPort, "--registry-port");
        Path dir = workDir.toAbsolutePath();
        WorkDirectory.wipe(dir);
        out.println("Starting broker, schema registry, detector, two probers and " + FaultMatrix.HOSTS.size()
                + " compute hosts (logs in " + dir.resolve("logs") + ") ...");
        LocalPipeline.Settings settings = new LocalPipeline.Settings(
                dir, brokerPort, registryPort, partitions, Profile.named(profile), FaultMatrix.HOSTS, !noNamespaces);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "quickstart-stop"));
        try (LocalPipeline pipeline = LocalPipeline.start(settings);
                NovaView novaView = startNova(pipeline, dir);
                TablePrinter printer = new TablePrinter(pipeline.board(), out)) {
            printSummary(pipeline, dir, novaView);
            printer.start();
            if (noFaults || !pipeline.hasNamespaceHosts()) {
                printer.say(noFaults ? "Running without faults." : "Faults need network namespaces; running without.");
            } else {
                walkThroughFaults(pipeline, printer, novaView);
            }
            printer.say("Pipeline keeps running. Press Ctrl-C to stop.");
            stop.await();
            out.println("Stopping ...");
        }
        return 0;
    }

    private NovaView startNova(LocalPipeline pipeline, Path dir) throws IOException, InterruptedException {
        if (!nova) {
            return NovaView.NONE;
        }
        out.println("Starting a Nova API and hostwatch-nova (--nova; log in " + dir.resolve("logs/nova.log") + ") ...");
        return new NovaView(Optional.of(NovaDemo.start(
                dir,
                FaultMatrix.HOSTS.stream().map(HostSpec::id).toList(),
                pipeline.endpoints(),
                Duration.ofSeconds(180))));
    }

    private void walkThroughFaults(LocalPipeline pipeline, TablePrinter printer, NovaView novaView) throws Exception {
        ScenarioRunner runner = new ScenarioRunner(pipeline, Duration.ofSeconds(30), Duration.ofSeconds(60));
        printer.say("Waiting for every host to be RUNNING ...");
        runner.awaitHealthy(FaultMatrix.HOSTS.stream().map(HostSpec::id).toList(), Duration.ofSeconds(90));
        List<String> results = new ArrayList<>();
        for (FaultScenario scenario : FaultMatrix.walkThrough()) {
            printer.say("FAULT " + scenario.name() + ": " + scenario.description() + "; expecting "
                    + scenario.expected() + " ...");
            List<String> novaLines = new ArrayList<>();
            ScenarioRunner.Outcome outcome = runner.run(scenario, p -> novaLines.addAll(novaView.report(scenario)));
            novaLines.forEach(printer::say);
            boolean verdicts = outcome.latency().values().stream().allMatch(Optional::isPresent);
            String latencies = outcome.latency().values().stream()
                    .map(l -> l.map(d -> d.toMillis() + " ms").orElse("-"))
                    .collect(Collectors.joining(", "));
            String result = String.format(
                    Locale.ROOT,
                    "%-17s %s -> %s after %s%s",
                    scenario.name(),
                    String.join(",", scenario.hosts()),
                    verdicts ? scenario.expected() : "NO VERDICT",
                    latencies,
                    outcome.wrongVerdicts().isEmpty()
                            ? ""
                            : "  WRONG verdicts: "
                                    + outcome.wrongVerdicts().stream()
                                            .map(s -> s.getState() + "/" + s.getReason())
                                            .toList());
            results.add(result);
            printer.say("RESULT " + result + "; fault repaired, host"
                    + (scenario.hosts().size() > 1 ? "s" : "")
                    + (outcome.recovered() ? " RUNNING again" : " NOT recovered"));
            novaView.reportRecovery(scenario).forEach(printer::say);
        }
        printer.say("Fault matrix done:\n  " + String.join("\n  ", results));
    }

    private void printSummary(LocalPipeline pipeline, Path dir, NovaView novaView) {
        out.println();
        out.println("hostwatch is running locally");
        out.println("  Kafka bootstrap servers : " + pipeline.endpoints().bootstrapServers());
        out.println("  Schema registry         : " + pipeline.endpoints().registryUrl());
        out.println("  Operator console        : " + pipeline.services().detectorUrl() + "/console/");
        out.println("  Detector query API      : " + pipeline.services().detectorUrl() + "/hosts");
        out.println("  Probers                 : " + pipeline.services().proberUrl(1) + "/health, "
                + pipeline.services().proberUrl(2) + "/health");
        out.println("  Compute hosts           : " + pipeline.modeDescription());
        out.println("  Logs and data           : " + dir);
        if (novaView.nova().isPresent()) {
            String endpoint = novaView.nova().get().endpoint();
            out.println(
                    "  Nova API (noauth2)      : " + endpoint + " (hostwatch-nova --apply converges it; try: curl -s"
                            + " -H 'X-Auth-Token: admin:admin' -H 'X-OpenStack-Nova-API-Version: 2.53' " + endpoint
                            + "/os-services)");
        } else {
            out.println("  Nova's view             : cd deploy/nova && /usr/bin/python3 -m hostwatch_nova"
                    + " --simulate-nova --set kafka.bootstrap.servers="
                    + pipeline.endpoints().bootstrapServers()
                    + " --set registry.url=" + pipeline.endpoints().registryUrl()
                    + "   (or run-local.sh --nova: a real Nova API)");
        }
        out.println();
    }

    private static void requireFree(int port, String option) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // free
        } catch (IOException e) {
            throw new CommandLine.ParameterException(
                    new CommandLine(QuickStartApp.class), "Port " + port + " is in use; choose another with " + option);
        }
    }
}
