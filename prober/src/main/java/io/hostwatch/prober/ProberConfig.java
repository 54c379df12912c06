package io.hostwatch.prober;

import io.hostwatch.auth.AuthMode;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.auth.Verifier;
import io.hostwatch.runtime.config.ClusterConfig;
import io.hostwatch.runtime.config.LocalHostName;
import io.hostwatch.runtime.ops.OpsSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of one prober instance: the shared cluster keys ({@link ClusterConfig}) plus how to probe. Every
 * value is read and cross-checked once, here; a bad value is a {@link ConfigException} naming the key.
 */
public final class ProberConfig extends AbstractConfig {
    public static final String PROBER_ID_CONFIG = "prober.id";
    public static final String PROBER_ID_DOC = "Id of this prober instance (its vantage point), written into every "
            + "ProbeResult. Must be unique per vantage point. Empty: this machine's host name.";

    public static final String FANOUT_CONFIG = "probe.fanout";
    public static final String FANOUT_DOC = "'all': this prober answers every probe request (consumer group "
            + "'<probe.group.id>.<prober.id>'), so each request gets one answer per vantage point. 'assigned': probers "
            + "share the group '<probe.group.id>' and each request is answered by one of them (capacity, not evidence).";
    public static final String FANOUT_DEFAULT = "all";

    public static final String GROUP_ID_CONFIG = "probe.group.id";
    public static final String GROUP_ID_DOC = "Consumer group id (prefix, with probe.fanout=all) for probe requests.";
    public static final String GROUP_ID_DEFAULT = "hostwatch-prober";

    public static final String DEADLINE_MS_CONFIG = "probe.deadline.ms";
    public static final String DEADLINE_MS_DOC = "A ProbeResult is published at most this long after the request "
            + "was received; parts not finished by then are reported as ERROR.";
    public static final long DEADLINE_MS_DEFAULT = 2000;

    public static final String PING_METHOD_CONFIG = "probe.ping.method";
    public static final String PING_METHOD_DOC = "'icmp': ICMP echo via the system ping command (iputils). "
            + "'tcp:<port>': a TCP connect to that port; an answer (accept or refuse) means the host is up.";
    public static final String PING_METHOD_DEFAULT = "icmp";

    public static final String PING_TIMEOUT_MS_CONFIG = "probe.ping.timeout.ms";
    public static final String PING_TIMEOUT_MS_DOC = "How long to wait for an answer to the last attempt.";
    public static final long PING_TIMEOUT_MS_DEFAULT = 1000;

    public static final String PING_COUNT_CONFIG = "probe.ping.count";
    public static final String PING_COUNT_DOC = "Attempts (echo requests or connects) per probe, one every "
            + "probe.ping.interval.ms; the first answer ends the ping as OK.";
    public static final int PING_COUNT_DEFAULT = 3;

    public static final String PING_INTERVAL_MS_CONFIG = "probe.ping.interval.ms";
    public static final String PING_INTERVAL_MS_DOC =
            "Time between attempts (ICMP: at least 200, iputils' limit " + "for non-root users).";
    public static final long PING_INTERVAL_MS_DEFAULT = 200;

    public static final String PING_COMMAND_CONFIG = "probe.ping.command";
    public static final String PING_COMMAND_DOC = "The ping executable for probe.ping.method=icmp (iputils ping).";
    public static final String PING_COMMAND_DEFAULT = "ping";

    static final int ICMP_MAX_CONCURRENT_AUTO = 256;
    static final int FPING_MAX_CONCURRENT_AUTO = 2048;
    static final int TCP_MAX_CONCURRENT_AUTO = 2000;
    public static final String PING_MAX_CONCURRENT_CONFIG = "probe.ping.max.concurrent";
    public static final String PING_MAX_CONCURRENT_DOC = "Pings in progress at once (ICMP: ping processes; TCP: "
            + "hosts being connected to). Further pings wait; the deadline still applies to them. -1: "
            + ICMP_MAX_CONCURRENT_AUTO + " for icmp with ping (each ping is a process: more would only overload the "
            + "CPU), " + FPING_MAX_CONCURRENT_AUTO + " for icmp with fping (hosts in batches being pinged), "
            + TCP_MAX_CONCURRENT_AUTO + " for tcp.";
    public static final int PING_MAX_CONCURRENT_DEFAULT = -1;

    public static final String ICMP_TOOL_CONFIG = "probe.icmp.tool";
    public static final String ICMP_TOOL_DOC = "How probe.ping.method=icmp pings. 'fping': one fping process per "
            + "batch of hosts (probe.icmp.batch.*); the prober does not start if probe.icmp.fping.command cannot run. "
            + "'ping': one iputils ping process per probe (probe.ping.command), about 100 silent-host probes/s on a "
            + "2-core machine. 'auto': fping if probe.icmp.fping.command runs at start-up, else ping (logged as a "
            + "warning). Both give OK/FAILED/ERROR the same meaning; a tool that fails is ERROR, never FAILED.";
    public static final String ICMP_TOOL_DEFAULT = "auto";

    public static final String ICMP_FPING_COMMAND_CONFIG = "probe.icmp.fping.command";
    public static final String ICMP_FPING_COMMAND_DOC =
            "The fping executable (fping 5; tested with 5.1) for probe.icmp.tool fping or auto.";
    public static final String ICMP_FPING_COMMAND_DEFAULT = "fping";

    public static final String ICMP_BATCH_SIZE_CONFIG = "probe.icmp.batch.size";
    public static final String ICMP_BATCH_SIZE_DOC = "With fping: at most this many hosts per fping process. fping "
            + "sends one packet per millisecond, so a batch adds up to this many ms to its last host's ping; keep it "
            + "below probe.ping.interval.ms.";
    public static final int ICMP_BATCH_SIZE_DEFAULT = 128;

    public static final String ICMP_BATCH_WINDOW_MS_CONFIG = "probe.icmp.batch.window.ms";
    public static final String ICMP_BATCH_WINDOW_MS_DOC = "With fping: how long the first ping of a batch waits "
            + "for more to join it (a full batch starts at once). 0 still collects the pings that arrive together.";
    public static final long ICMP_BATCH_WINDOW_MS_DEFAULT = 5;

    public static final String MAX_IN_FLIGHT_CONFIG = "probe.max.in.flight";
    public static final String MAX_IN_FLIGHT_DOC = "Requests being probed at once; above it the prober stops "
            + "fetching requests until half have been answered.";
    public static final int MAX_IN_FLIGHT_DEFAULT = 2000;

    public static final String REQUEST_MAX_AGE_MS_CONFIG = "probe.request.max.age.ms";
    public static final String REQUEST_MAX_AGE_MS_DOC = "Requests whose record timestamp is older than this when "
            + "read (a backlog after downtime) are answered at once with ERROR parts instead of being probed; 0 "
            + "probes every request.";
    public static final long REQUEST_MAX_AGE_MS_DEFAULT = 60_000;

    public static final String STORAGE_ROOT_CONFIG = "storage.root";
    public static final String STORAGE_ROOT_DOC = "The shared storage mount the agents write their heartbeat files "
            + "under (<storage.root>/hostwatch/<host>.hb). Mount it without attribute/lookup caching (NFS: "
            + "actimeo=0,lookupcache=none) or the prober may see old files and report STALE.";

    public static final String STORAGE_RECHECK_DELAY_MS_CONFIG = "storage.recheck.delay.ms";
    public static final String STORAGE_RECHECK_DELAY_MS_DOC = "When a heartbeat file has not moved on by 3 since "
            + "the request's lastStorageSequence (and storage.stale.silence.ms does not decide), read it again after "
            + "this delay: FRESH if it advanced, STALE if not. Set it to the agents' storage heartbeat interval plus "
            + "a margin for write jitter.";
    public static final long STORAGE_RECHECK_DELAY_MS_DEFAULT = 1500;

    public static final String STORAGE_STALE_SILENCE_MS_CONFIG = "storage.stale.silence.ms";
    public static final String STORAGE_STALE_SILENCE_MS_DOC = "A heartbeat file that moved on by at most one write "
            + "since the request's lastStorageSequence (the write in flight with the last network heartbeat) is "
            + "STALE at the first read when the host had been silent this long when the detector asked: an agent "
            + "whose writes complete within its storage.write.timeout.ms has written again one heartbeat interval "
            + "plus that timeout after its last heartbeat. Set it to the agents' interval + storage.write.timeout.ms; "
            + "a shorter silence is read twice. At least storage.recheck.delay.ms.";
    public static final long STORAGE_STALE_SILENCE_MS_DEFAULT = 3000;

    public static final String STORAGE_THREADS_CONFIG = "storage.threads";
    public static final String STORAGE_THREADS_DOC = "Threads reading heartbeat files (a hung NFS read holds one).";
    public static final int STORAGE_THREADS_DEFAULT = 16;

    public static final String SELFCHECK_REFERENCE_ADDRESS_CONFIG = "selfcheck.reference.address";
    public static final String SELFCHECK_REFERENCE_ADDRESS_DOC = "An address this prober must be able to reach for "
            + "its FAILED pings to mean anything (e.g. its default gateway). Empty: a TCP connect to the first "
            + "Kafka bootstrap server.";
    public static final String SELFCHECK_REFERENCE_ADDRESS_DEFAULT = "";

    public static final String SELFCHECK_REFERENCE_METHOD_CONFIG = "selfcheck.reference.method";
    public static final String SELFCHECK_REFERENCE_METHOD_DOC =
            "How to reach selfcheck.reference.address: 'icmp' " + "or 'tcp:<port>'. Ignored when the address is empty.";
    public static final String SELFCHECK_REFERENCE_METHOD_DEFAULT = "icmp";

    public static final String SELFCHECK_INTERVAL_MS_CONFIG = "selfcheck.interval.ms";
    public static final String SELFCHECK_INTERVAL_MS_DOC = "How often the self-check (reference address reachable, "
            + "storage root readable) is refreshed. A FAILED ping is additionally confirmed by a self-check that "
            + "started after the ping did.";
    public static final long SELFCHECK_INTERVAL_MS_DEFAULT = 3000;

    public static final String SELFCHECK_TIMEOUT_MS_CONFIG = "selfcheck.timeout.ms";
    public static final String SELFCHECK_TIMEOUT_MS_DOC = "Time the self-check's reference ping and storage listing "
            + "may take before they count as failed. A FAILED ping waits for such a check, so (probe.ping.count - 1) "
            + "x probe.ping.interval.ms + probe.ping.timeout.ms + this must be shorter than probe.deadline.ms.";
    public static final long SELFCHECK_TIMEOUT_MS_DEFAULT = 500;

    public static final String DNS_THREADS_CONFIG = "dns.threads";
    public static final String DNS_THREADS_DOC =
            "Threads resolving host names in probe requests (literal IP " + "addresses need none).";
    public static final int DNS_THREADS_DEFAULT = 8;

    public static final String OPS_BIND_ADDRESS_CONFIG = "ops.bind.address";
    public static final String OPS_BIND_ADDRESS_DOC = "Address of the /health and /metrics HTTP endpoint.";
    public static final String OPS_BIND_ADDRESS_DEFAULT = "0.0.0.0";

    public static final String AUTH_MASTER_KEY_FILES_CONFIG = "auth.master.key.files";
    public static final String AUTH_MASTER_KEY_FILES_DOC = "Master key files (hostwatch-prober keys "
            + "generate-master), one per valid key version: two during a rotation; the same files as the "
            + "detector's. Each must be readable by its owner only (mode 0600), or the prober refuses to start.";

    public static final String STORAGE_AUTHENTICATION_CONFIG = "storage.authentication";
    public static final String STORAGE_AUTHENTICATION_DOC = "required: a storage heartbeat file must carry a valid "
            + "authenticator, else storage is ERROR (inconclusive, never STALE, so never DEAD); optional: files with "
            + "a key id must verify, those without are believed (rolling upgrades); off: nothing is verified. "
            + "Empty: required when auth.master.key.files is set, else off.";
    public static final String STORAGE_AUTHENTICATION_DEFAULT = "";

    public static final String ALLOWED_NETWORKS_CONFIG = "probe.allowed.networks";
    public static final String ALLOWED_NETWORKS_DOC = "Management networks the prober may ping, as CIDRs (e.g. "
            + "10.20.0.0/16,fd00:20::/48). Any other address, and any address that is not an IP literal, is ping "
            + "ERROR and never pinged. Empty: every address is pinged (as before this setting; a warning says so).";

    public static final String OPS_PORT_CONFIG = "ops.port";
    public static final String OPS_PORT_DOC =
            "Port of the /health and /metrics endpoint; 0 picks a free port " + "(logged), -1 disables it.";
    public static final int OPS_PORT_DEFAULT = 9402;

    public static final String SHUTDOWN_TIMEOUT_MS_CONFIG = "shutdown.timeout.ms";
    public static final String SHUTDOWN_TIMEOUT_MS_DOC =
            "On SIGTERM: how long to wait for requests in flight to be " + "answered and their offsets committed.";
    public static final long SHUTDOWN_TIMEOUT_MS_DEFAULT = 10_000;

    static final long ICMP_MIN_INTERVAL_MS = 200;

    private static final ConfigDef DEFINITION = definition();

    private final ClusterConfig cluster;
    private final String proberId;
    private final boolean fanoutAll;
    private final PingSpec pingSpec;
    private final PingSpec referenceSpec;
    private final Duration deadline;
    private final Duration pingTimeout;
    private final Duration pingInterval;
    private final Duration recheckDelay;
    private final Duration staleSilence;
    private final Duration selfCheckTimeout;
    private final StorageAuth storageAuth;
    private final AllowedNetworks allowedNetworks;

    public ProberConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        cluster = ClusterConfig.from(this);
        proberId = getString(PROBER_ID_CONFIG).isBlank()
                ? LocalHostName.forEmpty(PROBER_ID_CONFIG)
                : getString(PROBER_ID_CONFIG).trim();
        fanoutAll = "all".equals(getString(FANOUT_CONFIG));
        pingSpec = parseSpec(PING_METHOD_CONFIG);
        referenceSpec = parseSpec(SELFCHECK_REFERENCE_METHOD_CONFIG);
        deadline = Duration.ofMillis(getLong(DEADLINE_MS_CONFIG));
        pingTimeout = Duration.ofMillis(getLong(PING_TIMEOUT_MS_CONFIG));
        pingInterval = Duration.ofMillis(getLong(PING_INTERVAL_MS_CONFIG));
        recheckDelay = Duration.ofMillis(getLong(STORAGE_RECHECK_DELAY_MS_CONFIG));
        staleSilence = Duration.ofMillis(getLong(STORAGE_STALE_SILENCE_MS_CONFIG));
        selfCheckTimeout = Duration.ofMillis(getLong(SELFCHECK_TIMEOUT_MS_CONFIG));
        storageAuth = readStorageAuth();
        try {
            allowedNetworks = AllowedNetworks.parse(getList(ALLOWED_NETWORKS_CONFIG));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ALLOWED_NETWORKS_CONFIG, getList(ALLOWED_NETWORKS_CONFIG), e.getMessage());
        }
        validate();
    }

    private void validate() {
        if (pingSpec.method() == io.hostwatch.schema.PingMethod.ICMP
                && pingInterval.toMillis() < ICMP_MIN_INTERVAL_MS) {
            throw new ConfigException(
                    PING_INTERVAL_MS_CONFIG,
                    pingInterval.toMillis(),
                    "must be >= " + ICMP_MIN_INTERVAL_MS + " with probe.ping.method=icmp");
        }
        if (pingBudget().compareTo(deadline) >= 0) {
            throw new ConfigException(
                    PING_COUNT_CONFIG,
                    pingCount(),
                    "a silent host takes (count - 1) x "
                            + "probe.ping.interval.ms + probe.ping.timeout.ms = "
                            + pingBudget().toMillis() + " ms to ping, "
                            + "which must be shorter than probe.deadline.ms (" + deadline.toMillis()
                            + ") or every silent "
                            + "host would be reported ERROR instead of FAILED");
        }
        if (recheckDelay.compareTo(deadline) >= 0) {
            throw new ConfigException(
                    STORAGE_RECHECK_DELAY_MS_CONFIG,
                    recheckDelay.toMillis(),
                    "must be shorter than probe.deadline.ms (" + deadline.toMillis() + ")");
        }
        if (staleSilence.compareTo(recheckDelay) < 0) {
            throw new ConfigException(
                    STORAGE_STALE_SILENCE_MS_CONFIG,
                    staleSilence.toMillis(),
                    "must be at least "
                            + STORAGE_RECHECK_DELAY_MS_CONFIG + " (" + recheckDelay.toMillis() + "): one read after a "
                            + "shorter silence would call STALE on less than the second read sees");
        }
        if (selfCheckTimeout.compareTo(deadline) >= 0) {
            throw new ConfigException(
                    SELFCHECK_TIMEOUT_MS_CONFIG,
                    selfCheckTimeout.toMillis(),
                    "must be shorter than probe.deadline.ms (" + deadline.toMillis() + ")");
        }
        if (failedPingBudget().compareTo(deadline) >= 0) {
            throw new ConfigException(
                    SELFCHECK_TIMEOUT_MS_CONFIG,
                    selfCheckTimeout.toMillis(),
                    "a FAILED ping is "
                            + "only published after a self-check that started after the ping: the ping ("
                            + pingBudget().toMillis()
                            + " ms) or a self-check already running when it started, whichever "
                            + "ends later, plus one more self-check must fit: "
                            + failedPingBudget().toMillis() + " ms is not "
                            + "shorter than probe.deadline.ms (" + deadline.toMillis()
                            + "), so every silent host would be "
                            + "reported ERROR instead of FAILED");
        }
        if (getInt(PING_MAX_CONCURRENT_CONFIG) == 0) {
            throw new ConfigException(PING_MAX_CONCURRENT_CONFIG, 0, "must be -1 (automatic) or at least 1");
        }
        if (proberId.contains(" ") || proberId.contains("/")) {
            throw new ConfigException(PROBER_ID_CONFIG, proberId, "must not contain spaces or '/'");
        }
    }

    private PingSpec parseSpec(String key) {
        try {
            return PingSpec.parse(getString(key));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, getString(key), e.getMessage());
        }
    }

    static ConfigDef definition() {
        return OpsSecurity.define(ClusterConfig.define(new ConfigDef()))
                .define(PROBER_ID_CONFIG, Type.STRING, "", Importance.HIGH, PROBER_ID_DOC)
                .define(AUTH_MASTER_KEY_FILES_CONFIG, Type.LIST, List.of(), Importance.HIGH, AUTH_MASTER_KEY_FILES_DOC)
                .define(
                        STORAGE_AUTHENTICATION_CONFIG,
                        Type.STRING,
                        STORAGE_AUTHENTICATION_DEFAULT,
                        ConfigDef.ValidString.in("", "required", "optional", "off"),
                        Importance.HIGH,
                        STORAGE_AUTHENTICATION_DOC)
                .define(ALLOWED_NETWORKS_CONFIG, Type.LIST, List.of(), Importance.HIGH, ALLOWED_NETWORKS_DOC)
                .define(
                        STORAGE_ROOT_CONFIG,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        STORAGE_ROOT_DOC)
                .define(
                        FANOUT_CONFIG,
                        Type.STRING,
                        FANOUT_DEFAULT,
                        ConfigDef.ValidString.in("all", "assigned"),
                        Importance.HIGH,
                        FANOUT_DOC)
                .define(
                        GROUP_ID_CONFIG,
                        Type.STRING,
                        GROUP_ID_DEFAULT,
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        GROUP_ID_DOC)
                .define(
                        DEADLINE_MS_CONFIG,
                        Type.LONG,
                        DEADLINE_MS_DEFAULT,
                        Range.atLeast(100),
                        Importance.HIGH,
                        DEADLINE_MS_DOC)
                .define(
                        PING_METHOD_CONFIG,
                        Type.STRING,
                        PING_METHOD_DEFAULT,
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        PING_METHOD_DOC)
                .define(
                        PING_TIMEOUT_MS_CONFIG,
                        Type.LONG,
                        PING_TIMEOUT_MS_DEFAULT,
                        Range.atLeast(10),
                        Importance.MEDIUM,
                        PING_TIMEOUT_MS_DOC)
                .define(
                        PING_COUNT_CONFIG,
                        Type.INT,
                        PING_COUNT_DEFAULT,
                        Range.between(1, 100),
                        Importance.MEDIUM,
                        PING_COUNT_DOC)
                .define(
                        PING_INTERVAL_MS_CONFIG,
                        Type.LONG,
                        PING_INTERVAL_MS_DEFAULT,
                        Range.atLeast(10),
                        Importance.LOW,
                        PING_INTERVAL_MS_DOC)
                .define(
                        PING_COMMAND_CONFIG,
                        Type.STRING,
                        PING_COMMAND_DEFAULT,
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        PING_COMMAND_DOC)
                .define(
                        PING_MAX_CONCURRENT_CONFIG,
                        Type.INT,
                        PING_MAX_CONCURRENT_DEFAULT,
                        Range.between(-1, 10_000),
                        Importance.LOW,
                        PING_MAX_CONCURRENT_DOC)
                .define(
                        ICMP_TOOL_CONFIG,
                        Type.STRING,
                        ICMP_TOOL_DEFAULT,
                        ConfigDef.ValidString.in("auto", "fping", "ping"),
                        Importance.MEDIUM,
                        ICMP_TOOL_DOC)
                .define(
                        ICMP_FPING_COMMAND_CONFIG,
                        Type.STRING,
                        ICMP_FPING_COMMAND_DEFAULT,
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        ICMP_FPING_COMMAND_DOC)
                .define(
                        ICMP_BATCH_SIZE_CONFIG,
                        Type.INT,
                        ICMP_BATCH_SIZE_DEFAULT,
                        Range.between(1, 1024),
                        Importance.LOW,
                        ICMP_BATCH_SIZE_DOC)
                .define(
                        ICMP_BATCH_WINDOW_MS_CONFIG,
                        Type.LONG,
                        ICMP_BATCH_WINDOW_MS_DEFAULT,
                        Range.between(0, 1000),
                        Importance.LOW,
                        ICMP_BATCH_WINDOW_MS_DOC)
                .define(
                        MAX_IN_FLIGHT_CONFIG,
                        Type.INT,
                        MAX_IN_FLIGHT_DEFAULT,
                        Range.between(1, 100_000),
                        Importance.LOW,
                        MAX_IN_FLIGHT_DOC)
                .define(
                        REQUEST_MAX_AGE_MS_CONFIG,
                        Type.LONG,
                        REQUEST_MAX_AGE_MS_DEFAULT,
                        Range.atLeast(0),
                        Importance.LOW,
                        REQUEST_MAX_AGE_MS_DOC)
                .define(
                        STORAGE_RECHECK_DELAY_MS_CONFIG,
                        Type.LONG,
                        STORAGE_RECHECK_DELAY_MS_DEFAULT,
                        Range.atLeast(1),
                        Importance.HIGH,
                        STORAGE_RECHECK_DELAY_MS_DOC)
                .define(
                        STORAGE_STALE_SILENCE_MS_CONFIG,
                        Type.LONG,
                        STORAGE_STALE_SILENCE_MS_DEFAULT,
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        STORAGE_STALE_SILENCE_MS_DOC)
                .define(
                        STORAGE_THREADS_CONFIG,
                        Type.INT,
                        STORAGE_THREADS_DEFAULT,
                        Range.between(1, 1000),
                        Importance.LOW,
                        STORAGE_THREADS_DOC)
                .define(
                        SELFCHECK_REFERENCE_ADDRESS_CONFIG,
                        Type.STRING,
                        SELFCHECK_REFERENCE_ADDRESS_DEFAULT,
                        Importance.HIGH,
                        SELFCHECK_REFERENCE_ADDRESS_DOC)
                .define(
                        SELFCHECK_REFERENCE_METHOD_CONFIG,
                        Type.STRING,
                        SELFCHECK_REFERENCE_METHOD_DEFAULT,
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        SELFCHECK_REFERENCE_METHOD_DOC)
                .define(
                        SELFCHECK_INTERVAL_MS_CONFIG,
                        Type.LONG,
                        SELFCHECK_INTERVAL_MS_DEFAULT,
                        Range.atLeast(100),
                        Importance.MEDIUM,
                        SELFCHECK_INTERVAL_MS_DOC)
                .define(
                        SELFCHECK_TIMEOUT_MS_CONFIG,
                        Type.LONG,
                        SELFCHECK_TIMEOUT_MS_DEFAULT,
                        Range.atLeast(10),
                        Importance.LOW,
                        SELFCHECK_TIMEOUT_MS_DOC)
                .define(
                        DNS_THREADS_CONFIG,
                        Type.INT,
                        DNS_THREADS_DEFAULT,
                        Range.between(1, 256),
                        Importance.LOW,
                        DNS_THREADS_DOC)
                .define(
                        OPS_BIND_ADDRESS_CONFIG,
                        Type.STRING,
                        OPS_BIND_ADDRESS_DEFAULT,
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        OPS_BIND_ADDRESS_DOC)
                .define(
                        OPS_PORT_CONFIG,
                        Type.INT,
                        OPS_PORT_DEFAULT,
                        Range.between(-1, 65535),
                        Importance.LOW,
                        OPS_PORT_DOC)
                .define(
                        SHUTDOWN_TIMEOUT_MS_CONFIG,
                        Type.LONG,
                        SHUTDOWN_TIMEOUT_MS_DEFAULT,
                        Range.atLeast(0),
                        Importance.LOW,
                        SHUTDOWN_TIMEOUT_MS_DOC);
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public String proberId() {
        return proberId;
    }

    public boolean fanoutAll() {
        return fanoutAll;
    }

    /** The consumer group: one per prober with fanout=all (each gets every request), shared otherwise. */
    public String groupId() {
        return fanoutAll ? getString(GROUP_ID_CONFIG) + "." + proberId : getString(GROUP_ID_CONFIG);
    }

    public String fanout() {
        return fanoutAll ? "all" : "assigned";
    }

    public Duration deadline() {
        return deadline;
    }

    PingSpec pingSpec() {
        return pingSpec;
    }

    public Duration pingTimeout() {
        return pingTimeout;
    }

    public int pingCount() {
        return getInt(PING_COUNT_CONFIG);
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    /** The longest a ping of a silent host takes. */
    public Duration pingBudget() {
        return pingInterval.multipliedBy(pingCount() - 1L).plus(pingTimeout);
    }

    /**
     * The longest a silent host's FAILED takes to be confirmed: the confirming self-check must start after the ping
     * did, so it starts when the ping ends or, if one was already running when the ping began, when that one ends
     * (at most selfcheck.timeout.ms after it began), and then takes up to selfcheck.timeout.ms itself.
     */
    public Duration failedPingBudget() {
        Duration confirmationStart = pingBudget().compareTo(selfCheckTimeout) >= 0 ? pingBudget() : selfCheckTimeout;
        return confirmationStart.plus(selfCheckTimeout);
    }

    public String pingCommand() {
        return getString(PING_COMMAND_CONFIG);
    }

    /** Pings in progress at once; the automatic value depends on the ICMP tool actually used. */
    public int pingMaxConcurrent(IcmpTool tool) {
        int configured = getInt(PING_MAX_CONCURRENT_CONFIG);
        if (configured > 0) {
            return configured;
        }
        if (pingSpec.method() != io.hostwatch.schema.PingMethod.ICMP) {
            return TCP_MAX_CONCURRENT_AUTO;
        }
        return tool == IcmpTool.FPING ? FPING_MAX_CONCURRENT_AUTO : ICMP_MAX_CONCURRENT_AUTO;
    }

    /** The configured ICMP tool; {@link IcmpTool#AUTO} is decided at start-up ({@code ProberService}). */
    public IcmpTool icmpTool() {
        return IcmpTool.valueOf(getString(ICMP_TOOL_CONFIG).toUpperCase(Locale.ROOT));
    }

    public String fpingCommand() {
        return getString(ICMP_FPING_COMMAND_CONFIG);
    }

    public int icmpBatchSize() {
        return getInt(ICMP_BATCH_SIZE_CONFIG);
    }

    public Duration icmpBatchWindow() {
        return Duration.ofMillis(getLong(ICMP_BATCH_WINDOW_MS_CONFIG));
    }

    public int maxInFlight() {
        return getInt(MAX_IN_FLIGHT_CONFIG);
    }

    public Duration requestMaxAge() {
        return Duration.ofMillis(getLong(REQUEST_MAX_AGE_MS_CONFIG));
    }

    public Path storageRoot() {
        return Path.of(getString(STORAGE_ROOT_CONFIG));
    }

    private StorageAuth readStorageAuth() {
        List<MasterKey> keys = new ArrayList<>();
        for (String file : getList(AUTH_MASTER_KEY_FILES_CONFIG)) {
            keys.add(KeyFiles.readMaster(Path.of(file.trim()), AUTH_MASTER_KEY_FILES_CONFIG));
        }
        String mode = getString(STORAGE_AUTHENTICATION_CONFIG);
        AuthMode authMode = mode.isEmpty() ? (keys.isEmpty() ? AuthMode.OFF : AuthMode.REQUIRED) : AuthMode.parse(mode);
        if (authMode != AuthMode.OFF && keys.isEmpty()) {
            throw new ConfigException(
                    STORAGE_AUTHENTICATION_CONFIG, mode, "needs " + AUTH_MASTER_KEY_FILES_CONFIG + " to be set");
        }
        try {
            return new StorageAuth(authMode, new Verifier(keys));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    AUTH_MASTER_KEY_FILES_CONFIG, getList(AUTH_MASTER_KEY_FILES_CONFIG), e.getMessage());
        }
    }

    StorageAuth storageAuth() {
        return storageAuth;
    }

    AllowedNetworks allowedNetworks() {
        return allowedNetworks;
    }

    StorageTiming storageTiming() {
        return new StorageTiming(recheckDelay, staleSilence);
    }

    public int storageThreads() {
        return getInt(STORAGE_THREADS_CONFIG);
    }

    /** Empty means the first bootstrap server. */
    public String referenceAddress() {
        return getString(SELFCHECK_REFERENCE_ADDRESS_CONFIG).trim();
    }

    PingSpec referenceSpec() {
        return referenceSpec;
    }

    public Duration selfCheckInterval() {
        return Duration.ofMillis(getLong(SELFCHECK_INTERVAL_MS_CONFIG));
    }

    public Duration selfCheckTimeout() {
        return selfCheckTimeout;
    }

    public int dnsThreads() {
        return getInt(DNS_THREADS_CONFIG);
    }

    public String opsBindAddress() {
        return getString(OPS_BIND_ADDRESS_CONFIG);
    }

    public int opsPort() {
        return getInt(OPS_PORT_CONFIG);
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(getLong(SHUTDOWN_TIMEOUT_MS_CONFIG));
    }

    /** One line for the start-up log. */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "prober.id=%s fanout=%s group=%s ping=%s (count %d, interval %d ms, "
                        + "timeout %d ms) deadline=%d ms storage.root=%s recheck=%d ms stale-silence=%d ms",
                proberId,
                fanout(),
                groupId(),
                pingSpec,
                pingCount(),
                pingInterval.toMillis(),
                pingTimeout.toMillis(),
                deadline.toMillis(),
                storageRoot(),
                recheckDelay.toMillis(),
                staleSilence.toMillis());
    }
}
