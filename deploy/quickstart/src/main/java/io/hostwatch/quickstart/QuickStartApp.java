package io.hostwatch.quickstart;

import io.hostwatch.local.KafkaBroker;
import io.hostwatch.local.LocalCluster;
import io.hostwatch.local.SchemaRegistry;
import io.hostwatch.topics.TopicBootstrapper;
import io.hostwatch.topics.TopicLayout;
import io.hostwatch.topics.TopicSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local quick start: a real KRaft broker and schema registry as child processes, hostwatch's topics, and
 * the pipeline, on this machine until Ctrl-C.
 */
@Command(name = "hostwatch-local", mixinStandardHelpOptions = true,
        description = "Runs hostwatch locally: broker, schema registry, topics and pipeline, until Ctrl-C.")
public final class QuickStartApp implements Callable<Integer> {

    @Option(names = "--work-dir", description = "Data and logs of this run (wiped at start).",
            defaultValue = "deploy/quickstart/target/run")
    Path workDir;

    @Option(names = "--broker-port", description = "Kafka client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
            defaultValue = "9092")
    int brokerPort;

    @Option(names = "--registry-port", description = "Schema registry port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
            defaultValue = "8081")
    int registryPort;

    @Option(names = "--partitions", description = "Partitions per topic (default: ${DEFAULT-VALUE}).",
            defaultValue = "12")
    int partitions;

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
        out.println("Starting Kafka broker and schema registry (logs in " + dir + ") ...");
        try (LocalCluster cluster = LocalCluster.start(
                new KafkaBroker.Settings(dir.resolve("kafka"), brokerPort, 0, "768m", Map.of()),
                new SchemaRegistry.Settings(dir.resolve("registry"), registryPort, 0))) {
            TopicLayout layout = new TopicLayout(TopicLayout.DEFAULT_PREFIX, partitions);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    cluster.bootstrapServers()))) {
                new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(60)).ensure(layout.specs());
            }
            printSummary(cluster, layout, dir);
            awaitCtrlC();
            out.println("Stopping ...");
        }
        return 0;
    }

    private void printSummary(LocalCluster cluster, TopicLayout layout, Path dir) {
        out.println();
        out.println("hostwatch local cluster is up");
        out.println("  Kafka bootstrap servers : " + cluster.bootstrapServers());
        out.println("  Schema registry (Confluent API) : " + cluster.registryUrl());
        out.println("  Topics:");
        for (TopicSpec spec : layout.specs()) {
            out.printf("    %-32s %2d partitions  %s%n", spec.name(), spec.partitions(), spec.configs());
        }
        out.println("  Logs and data : " + dir);
        out.println("Press Ctrl-C to stop.");
    }

    private static void awaitCtrlC() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "quickstart-stop"));
        stop.await();
    }

    private static void requireFree(int port, String option) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // free
        } catch (IOException e) {
            throw new CommandLine.ParameterException(new CommandLine(QuickStartApp.class),
                    "Port " + port + " on 127.0.0.1 is in use; choose another with " + option);
        }
    }
}
