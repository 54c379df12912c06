package io.hostwatch.detector;

import io.hostwatch.auth.AuthMode;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import io.hostwatch.auth.Verifier;
import io.hostwatch.runtime.config.ClusterConfig;
import io.hostwatch.runtime.config.LocalHostName;
import io.hostwatch.runtime.config.RenamedKeys;
import io.hostwatch.runtime.ops.OpsSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the detector (contract sections 4 and 5). Values are read once here and handed to the topology
 * as typed fields; Kafka Streams settings pass through with the {@code kafka.} prefix (e.g.
 * {@code kafka.commit.interval.ms}).
 */
public final class DetectorConfig extends AbstractConfig {
    public static final String APPLICATION_ID_CONFIG = "application.id";
    public static final String APPLICATION_ID_DOC = "Kafka Streams application id: consumer group, transactional id "
            + "prefix and prefix of the detector's internal topics. Every instance of one detector uses the same id.";
    public static final String APPLICATION_ID_DEFAULT = "hostwatch-detector";

    public static final String STATE_DIR_CONFIG = "state.dir";
    public static final String STATE_DIR_DOC = "Directory of the local RocksDB state (per-host records); "
            + "it is a cache of the changelog topics, so losing it costs a restore, not data.";
    public static final String STATE_DIR_DEFAULT = "/var/lib/hostwatch/detector";

    public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
    public static final String NUM_STREAM_THREADS_DOC = "Stream threads of this instance.";
    public static final int NUM_STREAM_THREADS_DEFAULT = 1;

    public static final String INSTANCE_ID_CONFIG = "instance.id";
    public static final String INSTANCE_ID_DOC = "Id of this detector instance: emitter of its ticks and the "
            + "'rejected by' of its dead letters. Empty means <hostname>-<pid>.";

    public static final String HEARTBEAT_TIMEOUT_MS_CONFIG = "heartbeat.timeout.ms";
    public static final String HEARTBEAT_TIMEOUT_MS_DOC = "Silence (in broker time) after a host's last heartbeat "
            + "before it is probed. Also the window in which silences count together for the mass-failure guard.";
    public static final long HEARTBEAT_TIMEOUT_MS_DEFAULT = 3000;

    public static final String PROBE_TIMEOUT_MS_CONFIG = "probe.timeout.ms";
    public static final String PROBE_TIMEOUT_MS_DOC =
            "Stream time to wait for the first result of a probe " + "request before sending it again.";
    public static final long PROBE_TIMEOUT_MS_DEFAULT = 3000;

    public static final String PROBE_ATTEMPTS_CONFIG = "probe.attempts";
    public static final String PROBE_ATTEMPTS_DOC =
            "Probe requests sent for one silence before the host is " + "declared UNKNOWN/PROBE_TIMEOUT.";
    public static final int PROBE_ATTEMPTS_DEFAULT = 3;

    public static final String PROBE_QUORUM_CONFIG = "probe.quorum";
    public static final String PROBE_QUORUM_DOC = "Distinct probers whose results publish an evacuating verdict "
            + "(DEAD, ISOLATED) at once. With fewer, such a verdict waits probe.collect.ms after the first result "
            + "for more probers: a ping OK from any of them overrules it. Other verdicts are published at once.";
    public static final int PROBE_QUORUM_DEFAULT = 2;

    public static final String PROBE_COLLECT_MS_CONFIG = "probe.collect.ms";
    public static final String PROBE_COLLECT_MS_DOC = "Stream time an evacuating verdict waits after the first "
            + "probe result for the results of further probers (see probe.quorum).";
    public static final long PROBE_COLLECT_MS_DEFAULT = 1000;

    public static final String UNKNOWN_REPROBE_MS_CONFIG = "unknown.reprobe.interval.ms";
    public static final String UNKNOWN_REPROBE_MS_DOC = "A silent host left UNKNOWN (inconclusive or timed-out "
            + "probes) is probed again after this much stream time; 0 disables re-probing.";
    public static final long UNKNOWN_REPROBE_MS_DEFAULT = 30_000;

    public static final String TICK_INTERVAL_MS_CONFIG = "tick.interval.ms";
    public static final String TICK_INTERVAL_MS_DOC = "How often this instance writes a Tick to every partition of "
            + "the ticks topic, so stream time advances on partitions whose hosts are all silent.";
    public static final long TICK_INTERVAL_MS_DEFAULT = 500;

    public static final String TICKER_ENABLED_CONFIG = "ticker.enabled";
    public static final String TICKER_ENABLED_DOC = "Whether this instance runs a ticker. Several tickers are "
            + "harmless (ticks are idempotent); none means silent partitions are not watched.";

    public static final String PIPELINE_STALL_MS_CONFIG = "pipeline.stall.ms";
    public static final String PIPELINE_STALL_MS_DOC = "A gap in stream time longer than this between two "
            + "consecutive records of a task (ticks included) means the pipeline itself stalled (broker or ticker "
            + "down), not the hosts: running hosts then get a fresh heartbeat.timeout.ms before they are probed. "
            + "Must exceed tick.interval.ms.";
    public static final long PIPELINE_STALL_MS_DEFAULT = 2000;

    public static final String MASS_FAILURE_FRACTION_CONFIG = "mass.failure.fraction";
    public static final String MASS_FAILURE_FRACTION_DOC = "When more than this fraction of the known hosts of a "
            + "failure domain are silent together, DEAD and ISOLATED verdicts in that domain are held as "
            + "UNKNOWN/MASS_FAILURE_SUSPECTED until the fraction falls.";
    public static final double MASS_FAILURE_FRACTION_DEFAULT = 0.3;

    public static final String MASS_FAILURE_MIN_SILENT_CONFIG = "mass.failure.min.silent";
    public static final String MASS_FAILURE_MIN_SILENT_DOC = "Fewest silent hosts that can trip the mass-failure "
            + "guard, so that one failure in a small domain is never held.";
    public static final int MASS_FAILURE_MIN_SILENT_DEFAULT = 2;

    public static final String MASS_FAILURE_RECHECK_MS_CONFIG = "mass.failure.recheck.ms";
    public static final String MASS_FAILURE_RECHECK_MS_DOC = "How often (stream time) a held host checks whether "
            + "its domain's guard released; on release it is probed again and classified normally.";
    public static final long MASS_FAILURE_RECHECK_MS_DEFAULT = 1000;

    public static final String MASS_FAILURE_LEAD_MS_CONFIG = "mass.failure.lead.ms";
    public static final String MASS_FAILURE_LEAD_MS_DOC = "How long before its heartbeat.timeout.ms a silent host "
            + "is already counted as silent by the mass-failure guard. Hosts that fail together fall silent up to "
            + "one heartbeat interval apart, and a count reaches every instance a few hundred ms later (commit "
            + "interval plus the global store's read): counting this early means the companions of the first host of "
            + "a mass failure are counted by the time it is classified, so its verdict need not wait for them. At "
            + "least one interval + 300 ms; must be below heartbeat.timeout.ms. Unset: half of heartbeat.timeout.ms "
            + "(1.5 intervals at the usual timeout of 3 intervals).";

    public static final String OPS_BIND_ADDRESS_CONFIG = "ops.bind.address";
    public static final String OPS_BIND_ADDRESS_DOC =
            "Address the query/ops HTTP endpoint binds to. Formerly http.bind (still accepted, deprecated).";
    public static final String OPS_BIND_ADDRESS_DEFAULT = "0.0.0.0";

    public static final String OPS_PORT_CONFIG = "ops.port";
    public static final String OPS_PORT_DOC = "Port of the query/ops HTTP endpoint (/hosts, /health, /metrics); "
            + "0 picks a free port (tests). Formerly http.port (still accepted, deprecated).";
    public static final int OPS_PORT_DEFAULT = 8471;

    public static final String OPS_ADVERTISED_HOST_CONFIG = "ops.advertised.host";
    public static final String OPS_ADVERTISED_HOST_DOC = "Host name other instances use to reach this instance's "
            + "HTTP endpoint (Kafka Streams application.server). Empty means this machine's host name. Formerly "
            + "http.advertised.host (still accepted, deprecated).";

    /** Keys renamed so that all three apps share the ops keys; the old names are accepted for one release. */
    public static final RenamedKeys RENAMED_KEYS = new RenamedKeys(Map.of(
            "http.bind", OPS_BIND_ADDRESS_CONFIG,
            "http.port", OPS_PORT_CONFIG,
            "http.advertised.host", OPS_ADVERTISED_HOST_CONFIG));

    public static final String AUTH_MASTER_KEY_FILES_CONFIG = "auth.master.key.files";
    public static final String AUTH_MASTER_KEY_FILES_DOC = "Master key files (hostwatch-detector keys "
            + "generate-master), one per valid key version: two during a rotation. Each must be readable by its "
            + "owner only (mode 0600), or the detector refuses to start. Empty: heartbeats cannot be authenticated.";

    public static final String HEARTBEAT_AUTHENTICATION_CONFIG = "heartbeat.authentication";
    public static final String HEARTBEAT_AUTHENTICATION_DOC = "required: every heartbeat must carry a valid "
            + "authenticator, anything else is dead-lettered; optional: heartbeats with a key id must verify, "
            + "those without are accepted and counted (rolling upgrades); off: nothing is verified. Empty: required "
            + "when auth.master.key.files is set, else off with a warning, so an upgrade without keys keeps "
            + "working and configuring keys is enough to enforce them.";
    public static final String HEARTBEAT_AUTHENTICATION_DEFAULT = "";

    public static final String HEARTBEAT_MAX_CLOCK_SKEW_MS_CONFIG = "heartbeat.max.clock.skew.ms";
    public static final String HEARTBEAT_MAX_CLOCK_SKEW_MS_DOC = "An authenticated heartbeat whose sentAt (agent "
            + "clock) is further than this from its broker timestamp is rejected as a replay (reason clock-skew). "
            + "Hosts run NTP; keep it well above their worst offset.";
    public static final long HEARTBEAT_MAX_CLOCK_SKEW_MS_DEFAULT = 120_000;

    private static final ConfigDef CONFIG = OpsSecurity.define(ClusterConfig.define(new ConfigDef()))
            .define(AUTH_MASTER_KEY_FILES_CONFIG, Type.LIST, List.of(), Importance.HIGH, AUTH_MASTER_KEY_FILES_DOC)
            .define(
                    HEARTBEAT_AUTHENTICATION_CONFIG,
                    Type.STRING,
                    HEARTBEAT_AUTHENTICATION_DEFAULT,
                    ConfigDef.ValidString.in("", "required", "optional", "off"),
                    Importance.HIGH,
                    HEARTBEAT_AUTHENTICATION_DOC)
            .define(
                    HEARTBEAT_MAX_CLOCK_SKEW_MS_CONFIG,
                    Type.LONG,
                    HEARTBEAT_MAX_CLOCK_SKEW_MS_DEFAULT,
                    Range.atLeast(1),
                    Importance.LOW,
                    HEARTBEAT_MAX_CLOCK_SKEW_MS_DOC)
            .define(
                    APPLICATION_ID_CONFIG,
                    Type.STRING,
                    APPLICATION_ID_DEFAULT,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    APPLICATION_ID_DOC)
            .define(
                    STATE_DIR_CONFIG,
                    Type.STRING,
                    STATE_DIR_DEFAULT,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    STATE_DIR_DOC)
            .define(
                    NUM_STREAM_THREADS_CONFIG,
                    Type.INT,
                    NUM_STREAM_THREADS_DEFAULT,
                    Range.between(1, 64),
                    Importance.LOW,
                    NUM_STREAM_THREADS_DOC)
            .define(INSTANCE_ID_CONFIG, Type.STRING, "", Importance.LOW, INSTANCE_ID_DOC)
            .define(
                    HEARTBEAT_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    HEARTBEAT_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(1),
                    Importance.HIGH,
                    HEARTBEAT_TIMEOUT_MS_DOC)
            .define(
                    PROBE_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    PROBE_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(1),
                    Importance.HIGH,
                    PROBE_TIMEOUT_MS_DOC)
            .define(
                    PROBE_ATTEMPTS_CONFIG,
                    Type.INT,
                    PROBE_ATTEMPTS_DEFAULT,
                    Range.between(1, 100),
                    Importance.MEDIUM,
                    PROBE_ATTEMPTS_DOC)
            .define(
                    PROBE_QUORUM_CONFIG,
                    Type.INT,
                    PROBE_QUORUM_DEFAULT,
                    Range.between(1, 16),
                    Importance.MEDIUM,
                    PROBE_QUORUM_DOC)
            .define(
                    PROBE_COLLECT_MS_CONFIG,
                    Type.LONG,
                    PROBE_COLLECT_MS_DEFAULT,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    PROBE_COLLECT_MS_DOC)
            .define(
                    UNKNOWN_REPROBE_MS_CONFIG,
                    Type.LONG,
                    UNKNOWN_REPROBE_MS_DEFAULT,
                    Range.atLeast(0),
                    Importance.LOW,
                    UNKNOWN_REPROBE_MS_DOC)
            .define(
                    TICK_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    TICK_INTERVAL_MS_DEFAULT,
                    Range.atLeast(10),
                    Importance.MEDIUM,
                    TICK_INTERVAL_MS_DOC)
            .define(TICKER_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.LOW, TICKER_ENABLED_DOC)
            .define(
                    PIPELINE_STALL_MS_CONFIG,
                    Type.LONG,
                    PIPELINE_STALL_MS_DEFAULT,
                    Range.atLeast(1),
                    Importance.LOW,
                    PIPELINE_STALL_MS_DOC)
            .define(
                    MASS_FAILURE_FRACTION_CONFIG,
                    Type.DOUBLE,
                    MASS_FAILURE_FRACTION_DEFAULT,
                    Range.between(0.0, 1.0),
                    Importance.HIGH,
                    MASS_FAILURE_FRACTION_DOC)
            .define(
                    MASS_FAILURE_MIN_SILENT_CONFIG,
                    Type.INT,
                    MASS_FAILURE_MIN_SILENT_DEFAULT,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    MASS_FAILURE_MIN_SILENT_DOC)
            .define(
                    MASS_FAILURE_RECHECK_MS_CONFIG,
                    Type.LONG,
                    MASS_FAILURE_RECHECK_MS_DEFAULT,
                    Range.atLeast(1),
                    Importance.LOW,
                    MASS_FAILURE_RECHECK_MS_DOC)
            .define(MASS_FAILURE_LEAD_MS_CONFIG, Type.LONG, null, Importance.MEDIUM, MASS_FAILURE_LEAD_MS_DOC)
            .define(
                    OPS_BIND_ADDRESS_CONFIG,
                    Type.STRING,
                    OPS_BIND_ADDRESS_DEFAULT,
                    Importance.MEDIUM,
                    OPS_BIND_ADDRESS_DOC)
            .define(
                    OPS_PORT_CONFIG,
                    Type.INT,
                    OPS_PORT_DEFAULT,
                    Range.between(0, 65535),
                    Importance.MEDIUM,
                    OPS_PORT_DOC)
            .define(OPS_ADVERTISED_HOST_CONFIG, Type.STRING, "", Importance.MEDIUM, OPS_ADVERTISED_HOST_DOC);

    private final ClusterConfig cluster;
    private final String applicationId;
    private final String stateDir;
    private final int numStreamThreads;
    private final String instanceId;
    private final DetectionSettings detection;
    private final long tickIntervalMs;
    private final boolean tickerEnabled;
    private final String httpBind;
    private final int httpPort;
    private final OpsSecurity opsSecurity;
    private final String httpAdvertisedHost;
    private final HeartbeatAuth heartbeatAuth;

    public DetectorConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
        cluster = ClusterConfig.from(this);
        applicationId = getString(APPLICATION_ID_CONFIG);
        stateDir = getString(STATE_DIR_CONFIG);
        numStreamThreads = getInt(NUM_STREAM_THREADS_CONFIG);
        String id = getString(INSTANCE_ID_CONFIG);
        instanceId = id.isBlank()
                ? LocalHostName.forEmpty(INSTANCE_ID_CONFIG) + "-"
                        + ProcessHandle.current().pid()
                : id;
        tickIntervalMs = getLong(TICK_INTERVAL_MS_CONFIG);
        tickerEnabled = getBoolean(TICKER_ENABLED_CONFIG);
        long stall = getLong(PIPELINE_STALL_MS_CONFIG);
        if (stall <= tickIntervalMs) {
            throw new ConfigException(
                    PIPELINE_STALL_MS_CONFIG,
                    stall,
                    "must exceed " + TICK_INTERVAL_MS_CONFIG + " (" + tickIntervalMs
                            + "), or every tick would look like a stall");
        }
        long timeout = getLong(HEARTBEAT_TIMEOUT_MS_CONFIG);
        Long lead = getLong(MASS_FAILURE_LEAD_MS_CONFIG);
        if (lead != null && (lead < 0 || lead >= timeout)) {
            throw new ConfigException(
                    MASS_FAILURE_LEAD_MS_CONFIG,
                    lead,
                    "must be at least 0 and below " + HEARTBEAT_TIMEOUT_MS_CONFIG + " (" + timeout
                            + "): a host is counted before it is suspected");
        }
        detection = new DetectionSettings(
                timeout,
                getLong(PROBE_TIMEOUT_MS_CONFIG),
                getInt(PROBE_ATTEMPTS_CONFIG),
                getInt(PROBE_QUORUM_CONFIG),
                getLong(PROBE_COLLECT_MS_CONFIG),
                getLong(UNKNOWN_REPROBE_MS_CONFIG),
                stall,
                getDouble(MASS_FAILURE_FRACTION_CONFIG),
                getInt(MASS_FAILURE_MIN_SILENT_CONFIG),
                getLong(MASS_FAILURE_RECHECK_MS_CONFIG),
                lead == null ? timeout / 2 : lead);
        httpBind = getString(OPS_BIND_ADDRESS_CONFIG);
        httpPort = getInt(OPS_PORT_CONFIG);
        opsSecurity = OpsSecurity.from(this);
        String advertised = getString(OPS_ADVERTISED_HOST_CONFIG);
        httpAdvertisedHost = advertised.isBlank() ? LocalHostName.forEmpty(OPS_ADVERTISED_HOST_CONFIG) : advertised;
        heartbeatAuth = readHeartbeatAuth();
    }

    private HeartbeatAuth readHeartbeatAuth() {
        List<MasterKey> keys = new ArrayList<>();
        for (String file : getList(AUTH_MASTER_KEY_FILES_CONFIG)) {
            keys.add(KeyFiles.readMaster(Path.of(file), AUTH_MASTER_KEY_FILES_CONFIG));
        }
        String mode = getString(HEARTBEAT_AUTHENTICATION_CONFIG);
        AuthMode authMode = mode.isEmpty() ? (keys.isEmpty() ? AuthMode.OFF : AuthMode.REQUIRED) : AuthMode.parse(mode);
        if (authMode != AuthMode.OFF && keys.isEmpty()) {
            throw new ConfigException(
                    HEARTBEAT_AUTHENTICATION_CONFIG, mode, "needs " + AUTH_MASTER_KEY_FILES_CONFIG + " to be set");
        }
        try {
            new Verifier(keys);
            return new HeartbeatAuth(authMode, keys, getLong(HEARTBEAT_MAX_CLOCK_SKEW_MS_CONFIG));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(AUTH_MASTER_KEY_FILES_CONFIG, keys.toString(), e.getMessage());
        }
    }

    /** How heartbeats are authenticated; key files were read (and their modes checked) when this was built. */
    HeartbeatAuth heartbeatAuth() {
        return heartbeatAuth;
    }

    /** Every key with its type, default and documentation, e.g. for {@code config-docs}. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public String applicationId() {
        return applicationId;
    }

    public String stateDir() {
        return stateDir;
    }

    public int numStreamThreads() {
        return numStreamThreads;
    }

    public String instanceId() {
        return instanceId;
    }

    public DetectionSettings detection() {
        return detection;
    }

    public Duration tickInterval() {
        return Duration.ofMillis(tickIntervalMs);
    }

    public boolean tickerEnabled() {
        return tickerEnabled;
    }

    /** TLS and bearer token of the HTTP endpoint (/hosts, console, metrics). */
    public OpsSecurity opsSecurity() {
        return opsSecurity;
    }

    public String httpBind() {
        return httpBind;
    }

    public int httpPort() {
        return httpPort;
    }

    public String httpAdvertisedHost() {
        return httpAdvertisedHost;
    }
}
