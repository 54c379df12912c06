package io.hostwatch.agent;

import io.hostwatch.agent.isolation.IsolationAddress;
import io.hostwatch.runtime.config.ClusterConfig;
import io.hostwatch.runtime.ops.OpsSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the member-agent: a properties file plus {@code HOSTWATCH_*} environment overrides (see
 * {@link io.hostwatch.runtime.config.ConfigSource}). Every value is read and cross-checked once, here; bad values fail
 * start-up with a {@link ConfigException} naming the key.
 */
public final class MemberAgentConfig extends AbstractConfig {
    /** Stands for the host id in {@link #SERVICE_CHECK_COMMAND_CONFIG} and {@link #SERVICE_CHECK_PIDFILE_CONFIG}. */
    public static final String HOST_PLACEHOLDER = "{host}";
    /** An {@link #ISOLATION_ADDRESSES_CONFIG} entry meaning "the default gateway of this host". */
    public static final String GATEWAY = "gateway";

    private static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    public static final String HOST_ID_CONFIG = "host.id";
    public static final String HOST_ID_DOC = "Host id: the Nova compute host name, the record key and the storage "
            + "heartbeat file name. Empty: this machine's hostname (/proc/sys/kernel/hostname). Letters, digits, "
            + "'.', '_' and '-'. Ignored with --simulate (virtual hosts are named <prefix>00001...).";
    public static final String HOST_ID_DEFAULT = "";

    public static final String AUTH_KEY_FILE_CONFIG = "auth.key.file";
    public static final String AUTH_KEY_FILE_DOC = "This host's key file (hostwatch-member-agent keys derive), "
            + "readable by its owner only (mode 0600) or the agent refuses to start. Every heartbeat and storage "
            + "heartbeat file then carries an authenticator only this host can make. With --simulate, a master key "
            + "file may be given instead (load tests only). Empty: no authenticator, which a detector with "
            + "heartbeat.authentication=required rejects.";
    public static final String AUTH_KEY_FILE_DEFAULT = "";

    public static final String AGENT_ADDRESS_CONFIG = "agent.address";
    public static final String AGENT_ADDRESS_DOC = "Management address the prober should ping, sent in every "
            + "heartbeat. Empty: auto-detect the local address this host uses to reach the first reachable "
            + "bootstrap server (no packet is sent), else the first non-loopback IPv4 address of an interface "
            + "that is up. Ignored with --simulate (virtual hosts get 127.x.y.z loopback addresses).";
    public static final String AGENT_ADDRESS_DEFAULT = "";

    public static final String FAILURE_DOMAIN_CONFIG = "failure.domain";
    public static final String FAILURE_DOMAIN_DOC = "Failure domain of this host, e.g. the availability zone; the "
            + "detector's mass-failure guard counts silent hosts per domain. Empty: the default domain (null).";
    public static final String FAILURE_DOMAIN_DEFAULT = "";

    public static final String HEARTBEAT_INTERVAL_MS_CONFIG = "heartbeat.interval.ms";
    public static final String HEARTBEAT_INTERVAL_MS_DOC = "Interval of network and storage heartbeats.";
    public static final long HEARTBEAT_INTERVAL_MS_DEFAULT = 1000;

    public static final String HEARTBEAT_DELIVERY_TIMEOUT_MS_CONFIG = "heartbeat.delivery.timeout.ms";
    public static final String HEARTBEAT_DELIVERY_TIMEOUT_MS_DOC = "How long a heartbeat may wait for the broker's "
            + "acknowledgement (producer delivery.timeout.ms). A heartbeat older than the detector's "
            + "heartbeat.timeout is worthless, so older ones are dropped and counted "
            + "(hostwatch_agent_heartbeats_dropped_total), never queued behind a broker outage. Keep it at or "
            + "below the detector's heartbeat.timeout.";
    public static final long HEARTBEAT_DELIVERY_TIMEOUT_MS_DEFAULT = 3000;

    public static final String STORAGE_ROOT_CONFIG = "storage.root";
    public static final String STORAGE_ROOT_DOC = "Root of the shared storage (NFS/CephFS mount point) where the "
            + "storage heartbeat <storage.root>/hostwatch/<host>.hb is rewritten every interval. Empty: storage "
            + "heartbeat disabled (heartbeats carry storageSequence=-1, storageWriteOk=true). Set but missing "
            + "(not mounted): every write fails and is reported storageWriteOk=false until it appears; the "
            + "agent never creates the root itself, only its hostwatch/ subdirectory.";
    public static final String STORAGE_ROOT_DEFAULT = "";

    public static final String STORAGE_WRITE_TIMEOUT_MS_CONFIG = "storage.write.timeout.ms";
    public static final String STORAGE_WRITE_TIMEOUT_MS_DOC = "A storage write (temp file, fsync, rename) that "
            + "takes longer than this is reported as storageWriteOk=false; a hung write never delays the network "
            + "heartbeat, and no second write for the same host starts while one is still hanging.";
    public static final long STORAGE_WRITE_TIMEOUT_MS_DEFAULT = 2000;

    public static final String STORAGE_WRITE_THREADS_CONFIG = "storage.write.threads";
    public static final String STORAGE_WRITE_THREADS_DOC = "Threads writing storage heartbeats. One is enough for "
            + "a real host (at most one write per host is in flight); raise it for --simulate with many hosts.";
    public static final int STORAGE_WRITE_THREADS_DEFAULT = 1;

    public static final String STORAGE_FSYNC_CONFIG = "storage.fsync";
    public static final String STORAGE_FSYNC_DOC = "fsync the temp file before the atomic rename, so a storage "
            + "server crash never leaves an empty heartbeat file. Disable only for simulations on tmpfs.";
    public static final boolean STORAGE_FSYNC_DEFAULT = true;

    public static final String SERVICE_CHECK_CONFIG = "service.check";
    public static final String SERVICE_CHECK_DOC = "How the agent decides whether the service it stands for "
            + "(nova-compute) is healthy: 'none' (the agent itself is the service: always OK), 'command' (run "
            + "service.check.command: exit 0 = OK, an exit code in service.check.degraded.exit.codes = DEGRADED, "
            + "any other = DOWN; a timeout or a command that cannot start = DEGRADED), 'pidfile' (the process whose "
            + "pid is in service.check.pidfile is alive = OK; missing/garbled file or dead/zombie process = DOWN).";
    public static final String SERVICE_CHECK_DEFAULT = "none";

    public static final String SERVICE_CHECK_COMMAND_CONFIG = "service.check.command";
    public static final String SERVICE_CHECK_COMMAND_DOC = "Command for service.check=command, run with /bin/sh -c, "
            + "e.g. 'systemctl is-active --quiet nova-compute'. '{host}' is replaced by the host id.";
    public static final String SERVICE_CHECK_COMMAND_DEFAULT = "";

    public static final String SERVICE_CHECK_PIDFILE_CONFIG = "service.check.pidfile";
    public static final String SERVICE_CHECK_PIDFILE_DOC = "Pidfile for service.check=pidfile, e.g. "
            + "/run/nova/nova-compute.pid. '{host}' is replaced by the host id (one pidfile per virtual host with "
            + "--simulate).";
    public static final String SERVICE_CHECK_PIDFILE_DEFAULT = "";

    public static final String SERVICE_CHECK_PIDFILE_MATCH_CONFIG = "service.check.pidfile.match";
    public static final String SERVICE_CHECK_PIDFILE_MATCH_DOC =
            "Optional text the command line of the pidfile's process "
                    + "(/proc/<pid>/cmdline) must contain, e.g. 'nova-compute'; a pid recycled by another process is then DOWN, "
                    + "not OK. Empty: any live process counts.";
    public static final String SERVICE_CHECK_PIDFILE_MATCH_DEFAULT = "";

    public static final String SERVICE_CHECK_INTERVAL_MS_CONFIG = "service.check.interval.ms";
    public static final String SERVICE_CHECK_INTERVAL_MS_DOC =
            "How often the service check runs (on its own thread; " + "heartbeats use the latest result).";
    public static final long SERVICE_CHECK_INTERVAL_MS_DEFAULT = 1000;

    public static final String SERVICE_CHECK_TIMEOUT_MS_CONFIG = "service.check.timeout.ms";
    public static final String SERVICE_CHECK_TIMEOUT_MS_DOC = "A check command still running after this is killed and "
            + "the status is DEGRADED (alive, not vouched for).";
    public static final long SERVICE_CHECK_TIMEOUT_MS_DEFAULT = 5000;

    public static final String SERVICE_CHECK_DEGRADED_EXIT_CODES_CONFIG = "service.check.degraded.exit.codes";
    public static final String SERVICE_CHECK_DEGRADED_EXIT_CODES_DOC =
            "Exit codes of service.check.command that mean " + "DEGRADED rather than DOWN, comma-separated.";
    public static final String SERVICE_CHECK_DEGRADED_EXIT_CODES_DEFAULT = "";

    public static final String SERVICE_DOWN_ACTION_CONFIG = "service.down.action";
    public static final String SERVICE_DOWN_ACTION_DOC = "What the agent does while the watched service is DOWN. "
            + "'stop-heartbeats' (default): send heartbeats with serviceStatus=DOWN for service.down.grace.ms, then "
            + "STOP sending network AND storage heartbeats, so the detector sees the 'service process crashed' "
            + "signature (ping OK, heartbeats and storage stale); heartbeats resume, same agentInstance, when the "
            + "service is back. Exception: while the host has declared itself isolated (isolation.timeout.ms), the "
            + "storage heartbeat with its isolated marker goes on, so that an isolation response that stops the "
            + "service (systemctl stop nova-compute) leaves the host ISOLATED for the prober, not DEAD. "
            + "'report-down': keep sending serviceStatus=DOWN heartbeats and storage heartbeats.";
    public static final String SERVICE_DOWN_ACTION_DEFAULT = ServiceDownAction.STOP_HEARTBEATS.configValue();

    public static final String SERVICE_DOWN_GRACE_MS_CONFIG = "service.down.grace.ms";
    public static final String SERVICE_DOWN_GRACE_MS_DOC =
            "How long DOWN heartbeats are sent before " + "service.down.action=stop-heartbeats stops all heartbeats.";
    public static final long SERVICE_DOWN_GRACE_MS_DEFAULT = 10_000;

    public static final String ISOLATION_ADDRESSES_CONFIG = "isolation.addresses";
    public static final String ISOLATION_ADDRESSES_DOC = "Isolation addresses (vSphere HA's idea): when Kafka is "
            + "unreachable, the agent checks these; if none answers either for isolation.timeout.ms, the host "
            + "declares itself isolated. Comma-separated host or host:port (port for the tcp method); 'gateway' = "
            + "the default IPv4 gateway from /proc/net/route. Empty: self-isolation detection disabled.";
    public static final String ISOLATION_ADDRESSES_DEFAULT = GATEWAY;

    public static final String ISOLATION_CHECK_METHOD_CONFIG = "isolation.check.method";
    public static final String ISOLATION_CHECK_METHOD_DOC = "How an isolation address is checked, without root: "
            + "'ping' (one ICMP echo via the system ping command), 'tcp' (TCP connect to host:port; an accepted "
            + "connection or an active refusal (RST) both prove the peer is reachable; a timeout or a network/host "
            + "unreachable error does not), 'auto' (ping if a ping command is on the PATH, else tcp).";
    public static final String ISOLATION_CHECK_METHOD_DEFAULT = "auto";

    public static final String ISOLATION_TCP_PORT_CONFIG = "isolation.tcp.port";
    public static final String ISOLATION_TCP_PORT_DOC = "Port for the tcp method when an address has none.";
    public static final int ISOLATION_TCP_PORT_DEFAULT = 22;

    public static final String ISOLATION_CHECK_INTERVAL_MS_CONFIG = "isolation.check.interval.ms";
    public static final String ISOLATION_CHECK_INTERVAL_MS_DOC = "How often connectivity is evaluated; addresses are "
            + "only checked while no heartbeat has been acknowledged for two heartbeat intervals.";
    public static final long ISOLATION_CHECK_INTERVAL_MS_DEFAULT = 1000;

    public static final String ISOLATION_CHECK_TIMEOUT_MS_CONFIG = "isolation.check.timeout.ms";
    public static final String ISOLATION_CHECK_TIMEOUT_MS_DOC = "Timeout of one address check.";
    public static final long ISOLATION_CHECK_TIMEOUT_MS_DEFAULT = 1000;

    public static final String ISOLATION_TIMEOUT_MS_CONFIG = "isolation.timeout.ms";
    public static final String ISOLATION_TIMEOUT_MS_DOC = "The host declares itself isolated when for this long no "
            + "heartbeat was acknowledged by Kafka AND no isolation address answered. It recovers by itself as soon "
            + "as either works again. Time in which the agent sends nothing by choice (service.down.action="
            + "stop-heartbeats after the grace) does not count as Kafka's silence, nor does it end an isolation.";
    public static final long ISOLATION_TIMEOUT_MS_DEFAULT = 15_000;

    public static final String ISOLATION_RESPONSE_CONFIG = "isolation.response";
    public static final String ISOLATION_RESPONSE_DOC = "What to do when isolated, besides logging at ERROR and "
            + "writing isolated=true into the storage heartbeat: 'none' or 'command' (run "
            + "isolation.response.command, e.g. 'systemctl stop nova-compute' so VMs never run twice after an "
            + "evacuation).";
    public static final String ISOLATION_RESPONSE_DEFAULT = "none";

    public static final String ISOLATION_RESPONSE_COMMAND_CONFIG = "isolation.response.command";
    public static final String ISOLATION_RESPONSE_COMMAND_DOC = "Command run with /bin/sh -c when the host declares "
            + "itself isolated (isolation.response=command). Environment: HOSTWATCH_EVENT=isolated, "
            + "HOSTWATCH_HOSTS=<host ids>.";
    public static final String ISOLATION_RESPONSE_COMMAND_DEFAULT = "";

    public static final String ISOLATION_RECOVERY_COMMAND_CONFIG = "isolation.recovery.command";
    public static final String ISOLATION_RECOVERY_COMMAND_DOC = "Optional command run with /bin/sh -c when isolation "
            + "ends (isolation.response=command), with HOSTWATCH_EVENT=recovered. Empty: none.";
    public static final String ISOLATION_RECOVERY_COMMAND_DEFAULT = "";

    public static final String ISOLATION_COMMAND_TIMEOUT_MS_CONFIG = "isolation.command.timeout.ms";
    public static final String ISOLATION_COMMAND_TIMEOUT_MS_DOC =
            "Isolation response/recovery commands still running " + "after this are killed.";
    public static final long ISOLATION_COMMAND_TIMEOUT_MS_DEFAULT = 60_000;

    public static final String TOPIC_BOOTSTRAP_ENABLED_CONFIG = "topic.bootstrap.enabled";
    public static final String TOPIC_BOOTSTRAP_ENABLED_DOC = "Create missing hostwatch topics at start-up (needs "
            + "create rights). Off by default: thousands of agents need not all do what the detector does once.";
    public static final boolean TOPIC_BOOTSTRAP_ENABLED_DEFAULT = false;

    public static final String OPS_PORT_CONFIG = "ops.port";
    public static final String OPS_PORT_DOC =
            "Port of the /health and /metrics (Prometheus text) endpoint; -1 = off " + "(default), 0 = any free port.";
    public static final int OPS_PORT_DEFAULT = -1;

    public static final String OPS_BIND_ADDRESS_CONFIG = "ops.bind.address";
    public static final String OPS_BIND_ADDRESS_DOC = "Address the ops endpoint binds to.";
    public static final String OPS_BIND_ADDRESS_DEFAULT = "127.0.0.1";

    public static final String SHUTDOWN_TIMEOUT_MS_CONFIG = "shutdown.timeout.ms";
    public static final String SHUTDOWN_TIMEOUT_MS_DOC = "On SIGTERM, how long to wait for in-flight heartbeats to "
            + "be acknowledged and storage writes to finish.";
    public static final long SHUTDOWN_TIMEOUT_MS_DEFAULT = 5000;

    /** What the agent does while the watched service is DOWN. */
    public enum ServiceDownAction {
        STOP_HEARTBEATS,
        REPORT_DOWN;

        public String configValue() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static ServiceDownAction parse(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** The service check kinds of {@link #SERVICE_CHECK_CONFIG}. */
    public enum ServiceCheckKind {
        NONE,
        COMMAND,
        PIDFILE
    }

    /** The methods of {@link #ISOLATION_CHECK_METHOD_CONFIG}. */
    public enum IsolationMethod {
        AUTO,
        PING,
        TCP
    }

    private static final ConfigDef CONFIG = OpsSecurity.define(ClusterConfig.define(new ConfigDef()))
            .define(HOST_ID_CONFIG, Type.STRING, HOST_ID_DEFAULT, Importance.HIGH, HOST_ID_DOC)
            .define(AGENT_ADDRESS_CONFIG, Type.STRING, AGENT_ADDRESS_DEFAULT, Importance.HIGH, AGENT_ADDRESS_DOC)
            .define(FAILURE_DOMAIN_CONFIG, Type.STRING, FAILURE_DOMAIN_DEFAULT, Importance.MEDIUM, FAILURE_DOMAIN_DOC)
            .define(
                    HEARTBEAT_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    HEARTBEAT_INTERVAL_MS_DEFAULT,
                    Range.between(50, 60_000),
                    Importance.HIGH,
                    HEARTBEAT_INTERVAL_MS_DOC)
            .define(
                    HEARTBEAT_DELIVERY_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    HEARTBEAT_DELIVERY_TIMEOUT_MS_DEFAULT,
                    Range.between(200, 600_000),
                    Importance.HIGH,
                    HEARTBEAT_DELIVERY_TIMEOUT_MS_DOC)
            .define(STORAGE_ROOT_CONFIG, Type.STRING, STORAGE_ROOT_DEFAULT, Importance.HIGH, STORAGE_ROOT_DOC)
            .define(
                    STORAGE_WRITE_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    STORAGE_WRITE_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(10),
                    Importance.MEDIUM,
                    STORAGE_WRITE_TIMEOUT_MS_DOC)
            .define(
                    STORAGE_WRITE_THREADS_CONFIG,
                    Type.INT,
                    STORAGE_WRITE_THREADS_DEFAULT,
                    Range.between(1, 64),
                    Importance.LOW,
                    STORAGE_WRITE_THREADS_DOC)
            .define(AUTH_KEY_FILE_CONFIG, Type.STRING, AUTH_KEY_FILE_DEFAULT, Importance.HIGH, AUTH_KEY_FILE_DOC)
            .define(STORAGE_FSYNC_CONFIG, Type.BOOLEAN, STORAGE_FSYNC_DEFAULT, Importance.LOW, STORAGE_FSYNC_DOC)
            .define(
                    SERVICE_CHECK_CONFIG,
                    Type.STRING,
                    SERVICE_CHECK_DEFAULT,
                    ValidString.in("none", "command", "pidfile"),
                    Importance.HIGH,
                    SERVICE_CHECK_DOC)
            .define(
                    SERVICE_CHECK_COMMAND_CONFIG,
                    Type.STRING,
                    SERVICE_CHECK_COMMAND_DEFAULT,
                    Importance.HIGH,
                    SERVICE_CHECK_COMMAND_DOC)
            .define(
                    SERVICE_CHECK_PIDFILE_CONFIG,
                    Type.STRING,
                    SERVICE_CHECK_PIDFILE_DEFAULT,
                    Importance.HIGH,
                    SERVICE_CHECK_PIDFILE_DOC)
            .define(
                    SERVICE_CHECK_PIDFILE_MATCH_CONFIG,
                    Type.STRING,
                    SERVICE_CHECK_PIDFILE_MATCH_DEFAULT,
                    Importance.MEDIUM,
                    SERVICE_CHECK_PIDFILE_MATCH_DOC)
            .define(
                    SERVICE_CHECK_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    SERVICE_CHECK_INTERVAL_MS_DEFAULT,
                    Range.between(50, 3_600_000),
                    Importance.MEDIUM,
                    SERVICE_CHECK_INTERVAL_MS_DOC)
            .define(
                    SERVICE_CHECK_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    SERVICE_CHECK_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(10),
                    Importance.MEDIUM,
                    SERVICE_CHECK_TIMEOUT_MS_DOC)
            .define(
                    SERVICE_CHECK_DEGRADED_EXIT_CODES_CONFIG,
                    Type.LIST,
                    SERVICE_CHECK_DEGRADED_EXIT_CODES_DEFAULT,
                    Importance.LOW,
                    SERVICE_CHECK_DEGRADED_EXIT_CODES_DOC)
            .define(
                    SERVICE_DOWN_ACTION_CONFIG,
                    Type.STRING,
                    SERVICE_DOWN_ACTION_DEFAULT,
                    ValidString.in("stop-heartbeats", "report-down"),
                    Importance.HIGH,
                    SERVICE_DOWN_ACTION_DOC)
            .define(
                    SERVICE_DOWN_GRACE_MS_CONFIG,
                    Type.LONG,
                    SERVICE_DOWN_GRACE_MS_DEFAULT,
                    Range.atLeast(0),
                    Importance.HIGH,
                    SERVICE_DOWN_GRACE_MS_DOC)
            .define(
                    ISOLATION_ADDRESSES_CONFIG,
                    Type.LIST,
                    ISOLATION_ADDRESSES_DEFAULT,
                    Importance.HIGH,
                    ISOLATION_ADDRESSES_DOC)
            .define(
                    ISOLATION_CHECK_METHOD_CONFIG,
                    Type.STRING,
                    ISOLATION_CHECK_METHOD_DEFAULT,
                    ValidString.in("auto", "ping", "tcp"),
                    Importance.MEDIUM,
                    ISOLATION_CHECK_METHOD_DOC)
            .define(
                    ISOLATION_TCP_PORT_CONFIG,
                    Type.INT,
                    ISOLATION_TCP_PORT_DEFAULT,
                    Range.between(1, 65535),
                    Importance.LOW,
                    ISOLATION_TCP_PORT_DOC)
            .define(
                    ISOLATION_CHECK_INTERVAL_MS_CONFIG,
                    Type.LONG,
                    ISOLATION_CHECK_INTERVAL_MS_DEFAULT,
                    Range.between(50, 600_000),
                    Importance.LOW,
                    ISOLATION_CHECK_INTERVAL_MS_DOC)
            .define(
                    ISOLATION_CHECK_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    ISOLATION_CHECK_TIMEOUT_MS_DEFAULT,
                    Range.between(10, 60_000),
                    Importance.LOW,
                    ISOLATION_CHECK_TIMEOUT_MS_DOC)
            .define(
                    ISOLATION_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    ISOLATION_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(100),
                    Importance.HIGH,
                    ISOLATION_TIMEOUT_MS_DOC)
            .define(
                    ISOLATION_RESPONSE_CONFIG,
                    Type.STRING,
                    ISOLATION_RESPONSE_DEFAULT,
                    ValidString.in("none", "command"),
                    Importance.HIGH,
                    ISOLATION_RESPONSE_DOC)
            .define(
                    ISOLATION_RESPONSE_COMMAND_CONFIG,
                    Type.STRING,
                    ISOLATION_RESPONSE_COMMAND_DEFAULT,
                    Importance.HIGH,
                    ISOLATION_RESPONSE_COMMAND_DOC)
            .define(
                    ISOLATION_RECOVERY_COMMAND_CONFIG,
                    Type.STRING,
                    ISOLATION_RECOVERY_COMMAND_DEFAULT,
                    Importance.MEDIUM,
                    ISOLATION_RECOVERY_COMMAND_DOC)
            .define(
                    ISOLATION_COMMAND_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    ISOLATION_COMMAND_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(100),
                    Importance.LOW,
                    ISOLATION_COMMAND_TIMEOUT_MS_DOC)
            .define(
                    TOPIC_BOOTSTRAP_ENABLED_CONFIG,
                    Type.BOOLEAN,
                    TOPIC_BOOTSTRAP_ENABLED_DEFAULT,
                    Importance.LOW,
                    TOPIC_BOOTSTRAP_ENABLED_DOC)
            .define(OPS_PORT_CONFIG, Type.INT, OPS_PORT_DEFAULT, Range.between(-1, 65535), Importance.LOW, OPS_PORT_DOC)
            .define(
                    OPS_BIND_ADDRESS_CONFIG,
                    Type.STRING,
                    OPS_BIND_ADDRESS_DEFAULT,
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    OPS_BIND_ADDRESS_DOC)
            .define(
                    SHUTDOWN_TIMEOUT_MS_CONFIG,
                    Type.LONG,
                    SHUTDOWN_TIMEOUT_MS_DEFAULT,
                    Range.atLeast(0),
                    Importance.LOW,
                    SHUTDOWN_TIMEOUT_MS_DOC);

    private final ClusterConfig cluster;
    private final Optional<String> hostId;
    private final Optional<String> agentAddress;
    private final Optional<String> failureDomain;
    private final Duration heartbeatInterval;
    private final Duration deliveryTimeout;
    private final Optional<Path> storageRoot;
    private final Duration storageWriteTimeout;
    private final int storageWriteThreads;
    private final boolean storageFsync;
    private final AgentKeys keys;
    private final ServiceCheckKind serviceCheck;
    private final String serviceCheckCommand;
    private final String serviceCheckPidfile;
    private final String serviceCheckPidfileMatch;
    private final Duration serviceCheckInterval;
    private final Duration serviceCheckTimeout;
    private final Set<Integer> degradedExitCodes;
    private final ServiceDownAction serviceDownAction;
    private final Duration serviceDownGrace;
    private final List<String> isolationAddresses;
    private final IsolationMethod isolationMethod;
    private final int isolationTcpPort;
    private final Duration isolationCheckInterval;
    private final Duration isolationCheckTimeout;
    private final Duration isolationTimeout;
    private final Optional<String> isolationResponseCommand;
    private final Optional<String> isolationRecoveryCommand;
    private final Duration isolationCommandTimeout;
    private final boolean topicBootstrap;
    private final int opsPort;
    private final String opsBindAddress;
    private final Duration shutdownTimeout;

    public MemberAgentConfig(Map<String, ?> values) {
        super(CONFIG, values);
        cluster = ClusterConfig.from(this);
        hostId = nonEmpty(getString(HOST_ID_CONFIG));
        hostId.ifPresent(id -> {
            if (!isValidHostId(id)) {
                throw new ConfigException(
                        HOST_ID_CONFIG,
                        id,
                        "must be letters, digits, '.', '_' or '-' and start "
                                + "with a letter or digit (it names the storage heartbeat file)");
            }
        });
        agentAddress = nonEmpty(getString(AGENT_ADDRESS_CONFIG));
        failureDomain = nonEmpty(getString(FAILURE_DOMAIN_CONFIG));
        heartbeatInterval = millis(HEARTBEAT_INTERVAL_MS_CONFIG);
        deliveryTimeout = millis(HEARTBEAT_DELIVERY_TIMEOUT_MS_CONFIG);
        HeartbeatProducerProperties.validate(cluster, deliveryTimeout, heartbeatInterval);
        storageRoot = nonEmpty(getString(STORAGE_ROOT_CONFIG)).map(Path::of);
        storageWriteTimeout = millis(STORAGE_WRITE_TIMEOUT_MS_CONFIG);
        storageWriteThreads = getInt(STORAGE_WRITE_THREADS_CONFIG);
        storageFsync = getBoolean(STORAGE_FSYNC_CONFIG);
        String keyFile = getString(AUTH_KEY_FILE_CONFIG);
        keys = keyFile.isBlank() ? AgentKeys.NONE : AgentKeys.load(Path.of(keyFile.trim()), AUTH_KEY_FILE_CONFIG);
        serviceCheck = ServiceCheckKind.valueOf(getString(SERVICE_CHECK_CONFIG).toUpperCase(Locale.ROOT));
        serviceCheckCommand = getString(SERVICE_CHECK_COMMAND_CONFIG).trim();
        serviceCheckPidfile = getString(SERVICE_CHECK_PIDFILE_CONFIG).trim();
        serviceCheckPidfileMatch = getString(SERVICE_CHECK_PIDFILE_MATCH_CONFIG).trim();
        if (serviceCheck == ServiceCheckKind.COMMAND && serviceCheckCommand.isEmpty()) {
            throw new ConfigException(SERVICE_CHECK_COMMAND_CONFIG, "", "is required when service.check=command");
        }
        if (serviceCheck == ServiceCheckKind.PIDFILE && serviceCheckPidfile.isEmpty()) {
            throw new ConfigException(SERVICE_CHECK_PIDFILE_CONFIG, "", "is required when service.check=pidfile");
        }
        serviceCheckInterval = millis(SERVICE_CHECK_INTERVAL_MS_CONFIG);
        serviceCheckTimeout = millis(SERVICE_CHECK_TIMEOUT_MS_CONFIG);
        degradedExitCodes = parseExitCodes(getList(SERVICE_CHECK_DEGRADED_EXIT_CODES_CONFIG));
        serviceDownAction = ServiceDownAction.parse(getString(SERVICE_DOWN_ACTION_CONFIG));
        serviceDownGrace = millis(SERVICE_DOWN_GRACE_MS_CONFIG);
        isolationAddresses = getList(ISOLATION_ADDRESSES_CONFIG).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        isolationAddresses.forEach(MemberAgentConfig::checkIsolationAddress);
        isolationMethod =
                IsolationMethod.valueOf(getString(ISOLATION_CHECK_METHOD_CONFIG).toUpperCase(Locale.ROOT));
        isolationTcpPort = getInt(ISOLATION_TCP_PORT_CONFIG);
        isolationCheckInterval = millis(ISOLATION_CHECK_INTERVAL_MS_CONFIG);
        isolationCheckTimeout = millis(ISOLATION_CHECK_TIMEOUT_MS_CONFIG);
        isolationTimeout = millis(ISOLATION_TIMEOUT_MS_CONFIG);
        boolean responseCommand = "command".equals(getString(ISOLATION_RESPONSE_CONFIG));
        Optional<String> response = nonEmpty(getString(ISOLATION_RESPONSE_COMMAND_CONFIG));
        if (responseCommand && response.isEmpty()) {
            throw new ConfigException(
                    ISOLATION_RESPONSE_COMMAND_CONFIG, "", "is required when isolation.response=command");
        }
        isolationResponseCommand = responseCommand ? response : Optional.empty();
        isolationRecoveryCommand =
                responseCommand ? nonEmpty(getString(ISOLATION_RECOVERY_COMMAND_CONFIG)) : Optional.empty();
        isolationCommandTimeout = millis(ISOLATION_COMMAND_TIMEOUT_MS_CONFIG);
        if (!isolationAddresses.isEmpty() && isolationTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new ConfigException(
                    ISOLATION_TIMEOUT_MS_CONFIG,
                    isolationTimeout.toMillis(),
                    "must be at least two heartbeat intervals ("
                            + heartbeatInterval.multipliedBy(2).toMillis()
                            + " ms): one missed acknowledgement is not isolation");
        }
        topicBootstrap = getBoolean(TOPIC_BOOTSTRAP_ENABLED_CONFIG);
        opsPort = getInt(OPS_PORT_CONFIG);
        opsBindAddress = getString(OPS_BIND_ADDRESS_CONFIG);
        shutdownTimeout = millis(SHUTDOWN_TIMEOUT_MS_CONFIG);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    static boolean isValidHostId(String id) {
        return HOST_ID.matcher(id).matches();
    }

    private static void checkIsolationAddress(String entry) {
        if (entry.equals(GATEWAY)) {
            return;
        }
        try {
            IsolationAddress.parse(entry, ISOLATION_TCP_PORT_DEFAULT);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ISOLATION_ADDRESSES_CONFIG, entry, e.getMessage());
        }
    }

    private static Set<Integer> parseExitCodes(List<String> codes) {
        try {
            return Set.copyOf(codes.stream()
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .map(Integer::valueOf)
                    .toList());
        } catch (NumberFormatException e) {
            throw new ConfigException(SERVICE_CHECK_DEGRADED_EXIT_CODES_CONFIG, codes, "must be integers");
        }
    }

    private Duration millis(String key) {
        return Duration.ofMillis(getLong(key));
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    public Optional<String> hostId() {
        return hostId;
    }

    public Optional<String> agentAddress() {
        return agentAddress;
    }

    public Optional<String> failureDomain() {
        return failureDomain;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    public Optional<Path> storageRoot() {
        return storageRoot;
    }

    public Duration storageWriteTimeout() {
        return storageWriteTimeout;
    }

    public int storageWriteThreads() {
        return storageWriteThreads;
    }

    AgentKeys keys() {
        return keys;
    }

    public boolean storageFsync() {
        return storageFsync;
    }

    public ServiceCheckKind serviceCheck() {
        return serviceCheck;
    }

    public String serviceCheckCommand() {
        return serviceCheckCommand;
    }

    public String serviceCheckPidfile() {
        return serviceCheckPidfile;
    }

    public String serviceCheckPidfileMatch() {
        return serviceCheckPidfileMatch;
    }

    public Duration serviceCheckInterval() {
        return serviceCheckInterval;
    }

    public Duration serviceCheckTimeout() {
        return serviceCheckTimeout;
    }

    public Set<Integer> degradedExitCodes() {
        return degradedExitCodes;
    }

    public ServiceDownAction serviceDownAction() {
        return serviceDownAction;
    }

    public Duration serviceDownGrace() {
        return serviceDownGrace;
    }

    public List<String> isolationAddresses() {
        return isolationAddresses;
    }

    public IsolationMethod isolationMethod() {
        return isolationMethod;
    }

    public int isolationTcpPort() {
        return isolationTcpPort;
    }

    public Duration isolationCheckInterval() {
        return isolationCheckInterval;
    }

    public Duration isolationCheckTimeout() {
        return isolationCheckTimeout;
    }

    public Duration isolationTimeout() {
        return isolationTimeout;
    }

    public Optional<String> isolationResponseCommand() {
        return isolationResponseCommand;
    }

    public Optional<String> isolationRecoveryCommand() {
        return isolationRecoveryCommand;
    }

    public Duration isolationCommandTimeout() {
        return isolationCommandTimeout;
    }

    public boolean topicBootstrap() {
        return topicBootstrap;
    }

    public int opsPort() {
        return opsPort;
    }

    public String opsBindAddress() {
        return opsBindAddress;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }
}
