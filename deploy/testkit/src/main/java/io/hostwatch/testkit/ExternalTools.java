package io.hostwatch.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a test says it needs something outside the JVM and Maven: a command on the {@code PATH}, root, a
 * Python interpreter with some modules, network-namespace test hosts. Each {@code require…} returns what it found.
 * When it is missing, the test is aborted with a one-line reason (a JUnit assumption: reported as skipped, and
 * logged at WARN as {@code Skipped: <reason>}), or, with {@value #REQUIRE_ENV}{@code =1} in the environment (set by
 * {@code .ci/run}), it fails with the same reason.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>A command is the first executable regular file of that name in the directories of {@code PATH}, in order.
 *       Nothing is looked up in fixed directories such as {@code /usr/bin}.
 *   <li>Python is the first {@code python3} on {@code PATH} that imports every requested module. Debian's
 *       {@code python3-*} packages are visible only to {@code /usr/bin/python3}, so an interpreter earlier on the
 *       {@code PATH} that cannot import them (pyenv, a venv) is passed over rather than taken.
 *   <li>Root is an effective uid of 0 ({@code /proc/self/status}).
 * </ul>
 *
 * <p>Call it from a test method or {@code @BeforeEach}, so each test is reported skipped with the reason. Not from
 * {@code @BeforeAll}: Surefire and Failsafe report a class aborted there as no test run at all, which hides the
 * skip. Never from a static initializer: an abort thrown there becomes an {@link ExceptionInInitializerError},
 * which fails the build instead of skipping. {@link #system()} itself does no I/O and never throws.
 */
public final class ExternalTools {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalTools.class);

    /** {@code 1} (or {@code true}): a missing tool fails the test instead of skipping it. */
    public static final String REQUIRE_ENV = "HOSTWATCH_REQUIRE_EXTERNAL_TOOLS";

    private static final Map<String, String> DEBIAN_PACKAGES = Map.ofEntries(
            Map.entry("chromium", "chromium"),
            Map.entry("chromedriver", "chromium-driver"),
            Map.entry("pytest", "python3-pytest"),
            Map.entry("prometheus_client", "python3-prometheus-client"),
            Map.entry("ping", "iputils-ping"),
            Map.entry("fping", "fping"),
            Map.entry("nft", "nftables"),
            Map.entry("ip", "iproute2"),
            Map.entry("chattr", "e2fsprogs"),
            Map.entry("kcat", "kcat"),
            Map.entry("kill", "procps"),
            Map.entry("mkfifo", "coreutils"),
            Map.entry("confluent_kafka", "python3-confluent-kafka"),
            Map.entry("avro", "python3-avro"),
            Map.entry("requests", "python3-requests"));
    private static final long PYTHON_IMPORT_TIMEOUT_SECONDS = 30;

    private static volatile ExternalTools system;

    private final Map<String, String> env;
    private final Supplier<Optional<Integer>> effectiveUid;
    private final String osName;
    /** Only the real one says "Skipped" in the build output: a test's stand-in skips nothing. */
    private final boolean logSkips;

    private final Map<List<String>, PythonLookup> pythons = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> netnsProblems = new ConcurrentHashMap<>();

    /**
     * @param env          the environment to read {@code PATH} and {@value #REQUIRE_ENV} from
     * @param effectiveUid this process's effective uid, empty if unknown
     * @param osName       the {@code os.name} system property
     */
    ExternalTools(Map<String, String> env, Supplier<Optional<Integer>> effectiveUid, String osName) {
        this(env, effectiveUid, osName, false);
    }

    private ExternalTools(
            Map<String, String> env, Supplier<Optional<Integer>> effectiveUid, String osName, boolean logSkips) {
        this.env = Map.copyOf(env);
        this.effectiveUid = effectiveUid;
        this.osName = osName;
        this.logSkips = logSkips;
    }

    /** This JVM's environment and user. */
    public static ExternalTools system() {
        ExternalTools tools = system;
        if (tools == null) {
            tools = new ExternalTools(
                    System.getenv(), ExternalTools::procEffectiveUid, System.getProperty("os.name", ""));
            system = tools;
        }
        return tools;
    }

    /** True if a missing tool fails the test ({@value #REQUIRE_ENV}=1) rather than skipping it. */
    public boolean strict() {
        String value = env.getOrDefault(REQUIRE_ENV, "").trim();
        return value.equals("1") || value.equalsIgnoreCase("true");
    }

    /** The command {@code name} on the {@code PATH}, if there is one. */
    public Optional<Path> findOnPath(String name) {
        for (String dir : pathDirectories()) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The command {@code name} on the {@code PATH}; skips (or fails) the calling test if there is none. */
    public Path requireTool(String name) {
        return findOnPath(name).orElseGet(() -> missing("needs `" + name + "` on PATH" + installHint(List.of(name))));
    }

    /**
     * The commands {@code names} on the {@code PATH}, in that order; skips (or fails) the calling test naming every
     * one that is missing, in one line.
     */
    public List<Path> requireTools(String... names) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            findOnPath(name).ifPresentOrElse(found::add, () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            return missing("needs "
                    + String.join(", ", missing.stream().map(n -> "`" + n + "`").toList()) + " on PATH"
                    + installHint(missing));
        }
        return found;
    }

    /** This process's uid if it is root; skips (or fails) the calling test otherwise. */
    public int requireRoot(String why) {
        Optional<Integer> uid = effectiveUid.get();
        if (uid.isPresent() && uid.get() == 0) {
            return 0;
        }
        return missing("needs root (effective uid 0) " + why + "; running as uid "
                + uid.map(String::valueOf).orElse("unknown"));
    }

    /**
     * The first {@code python3} on the {@code PATH} that imports every one of {@code modules} (dotted names allowed);
     * skips (or fails) the calling test if none does.
     */
    public Path requirePythonModules(String... modules) {
        List<String> wanted = List.of(modules);
        PythonLookup lookup = pythons.computeIfAbsent(wanted, this::findPython);
        return lookup.found()
                .orElseGet(() -> missing("needs a `python3` on PATH that can import " + String.join(", ", wanted)
                        + installHint(wanted) + "; tried "
                        + (lookup.tried().isEmpty() ? "none (no python3 on PATH)" : lookup.tried())));
    }

    /**
     * Network-namespace test hosts can be made here: Linux, root, {@code ip} on the {@code PATH} and
     * {@code ip netns list} working. Returns the {@code ip} command.
     */
    public Path requireTestHosts() {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return missing("needs Linux network namespaces for test hosts; this is " + osName);
        }
        requireRoot("to create network-namespace test hosts (CAP_NET_ADMIN)");
        Path ip = requireTool("ip");
        netnsProblems
                .computeIfAbsent(ip.toString(), key -> netnsProblem(ip))
                .ifPresent(problem -> missing("needs network namespaces for test hosts: " + problem));
        return ip;
    }

    /** Test hosts that can also drop single TCP ports ({@code nft} inside a namespace). Returns the {@code nft}. */
    public Path requirePortBlocking() {
        requireTestHosts();
        return requireTool("nft");
    }

    private List<String> pathDirectories() {
        List<String> dirs = new ArrayList<>();
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    private PythonLookup findPython(List<String> modules) {
        List<Path> tried = new ArrayList<>();
        Set<Path> candidates = new LinkedHashSet<>();
        for (String dir : pathDirectories()) {
            Path candidate = Path.of(dir, "python3");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                candidates.add(candidate);
            }
        }
        String script = "import " + String.join(", ", modules);
        for (Path candidate : candidates) {
            tried.add(candidate);
            if (exitsZero(List.of(candidate.toString(), "-c", script))) {
                return new PythonLookup(Optional.of(candidate), tried);
            }
        }
        return new PythonLookup(Optional.empty(), tried);
    }

    private record PythonLookup(Optional<Path> found, List<Path> tried) {}

    private Optional<String> netnsProblem(Path ip) {
        List<String> command = List.of(ip.toString(), "netns", "list");
        return exitsZero(command)
                ? Optional.empty()
                : Optional.of("`" + String.join(" ", command) + "` fails (no netns support here?)");
    }

    private boolean exitsZero(List<String> command) {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            if (!process.waitFor(PYTHON_IMPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String installHint(List<String> names) {
        Set<String> packages = new LinkedHashSet<>();
        for (String name : names) {
            String top = name.split("\\.")[0];
            String debian = DEBIAN_PACKAGES.get(top);
            if (debian != null) {
                packages.add(debian);
            }
        }
        return packages.isEmpty() ? "" : " (apt-get install -y " + String.join(" ", packages) + ")";
    }

    private <T> T missing(String reason) {
        if (strict()) {
            return Assertions.fail(reason + " [" + REQUIRE_ENV + "=1 makes this a failure, not a skip]");
        }
        if (logSkips) {
            LOG.warn("Skipped: {}", reason);
        }
        return Assumptions.abort(reason);
    }

    private static Optional<Integer> procEffectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Optional.of(Integer.parseInt(line.substring(4).trim().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
