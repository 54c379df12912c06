package io.hostwatch.detector;

import io.hostwatch.auth.AuthMode;
import io.hostwatch.auth.Authenticators;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.schema.Heartbeat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Cost of heartbeat authentication on the detector's hot path, side by side in one run: (1) {@link HeartbeatGate}
 * alone, {@code off} vs {@code required}, per heartbeat; (2) the whole topology in a TopologyTestDriver (Avro
 * decode, gate, store read and write), heartbeats/s with authentication off vs required, alternating.
 *
 * <p>{@code mvn -q -pl detector-stream -am test-compile} then run this class on the test classpath, e.g. with
 * {@code mvn -pl detector-stream exec:java}-free: {@code java -cp "$(cat cp.txt)" io.hostwatch.detector.HeartbeatAuthBenchmark [hosts] [rounds]}.
 */
public final class HeartbeatAuthBenchmark {
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private HeartbeatAuthBenchmark() {}

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("auth-bench");
        MasterKey master = KeyFiles.generateMaster("k1");
        KeyFiles.write(dir.resolve("k1.key"), master);

        List<List<Heartbeat>> signed = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<Heartbeat> round = new ArrayList<>(hosts);
            for (int h = 0; h < hosts; h++) {
                String host = String.format(java.util.Locale.ROOT, "compute-%06d", h);
                round.add(Authenticators.authenticate(
                        master.derive(host),
                        DetectorDriver.heartbeatOf(host)
                                .setSequence(r + 1L)
                                .setSentAt(Instant.ofEpochMilli(DetectorDriver.T0))
                                .build()));
            }
            signed.add(round);
        }

        HeartbeatGate off = new HeartbeatGate(HeartbeatAuth.OFF);
        HeartbeatGate required = new HeartbeatGate(new HeartbeatAuth(AuthMode.REQUIRED, List.of(master), 120_000));
        OUT.println("gate alone, thread CPU ns per heartbeat (" + hosts + " hosts x " + rounds
                + " rounds, 5 runs each, median):");
        long[] offNs = new long[5];
        long[] onNs = new long[5];
        for (int run = 0; run < 5; run++) {
            offNs[run] = gate(off, signed);
            onNs[run] = gate(required, signed);
        }
        Arrays.sort(offNs);
        Arrays.sort(onNs);
        OUT.printf(
                java.util.Locale.ROOT,
                "  off %d ns, required %d ns, authentication costs %d ns per heartbeat%n",
                offNs[2],
                onNs[2],
                onNs[2] - offNs[2]);

        OUT.println("whole topology (TopologyTestDriver), heartbeats/s, alternating runs:");
        for (int run = 0; run < 2; run++) {
            for (String mode : List.of("off", "required")) {
                try (DetectorDriver driver = new DetectorDriver(
                        dir.resolve("state-" + mode + run),
                        Map.of(
                                DetectorConfig.AUTH_MASTER_KEY_FILES_CONFIG,
                                dir.resolve("k1.key").toString(),
                                DetectorConfig.HEARTBEAT_AUTHENTICATION_CONFIG,
                                mode))) {
                    long started = System.nanoTime();
                    long n = 0;
                    for (List<Heartbeat> round : signed) {
                        for (Heartbeat heartbeat : round) {
                            driver.heartbeatAsIs(heartbeat.getHost(), heartbeat);
                            n++;
                        }
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    OUT.printf(
                            java.util.Locale.ROOT,
                            "  run %d %-8s %,.0f heartbeats/s (%.2f us each)%n",
                            run + 1,
                            mode,
                            n / seconds,
                            seconds * 1e6 / n);
                }
            }
        }
    }

    /** CPU time of this thread, not wall time: on a shared, loaded machine waiting for a core is not the cost. */
    private static long gate(HeartbeatGate gate, List<List<Heartbeat>> rounds) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long started = cpu.getCurrentThreadCpuTime();
        long n = 0;
        for (List<Heartbeat> round : rounds) {
            for (Heartbeat heartbeat : round) {
                if (!gate.admit(heartbeat.getHost(), heartbeat, DetectorDriver.T0) && gate.mode() != AuthMode.OFF) {
                    throw new IllegalStateException("not authenticated");
                }
                n++;
            }
        }
        return (cpu.getCurrentThreadCpuTime() - started) / n;
    }
}
