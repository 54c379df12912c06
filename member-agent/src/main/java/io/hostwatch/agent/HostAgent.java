package io.hostwatch.agent;

import io.hostwatch.agent.service.ServiceDownGate;
import io.hostwatch.agent.service.ServiceWatch;
import io.hostwatch.agent.storage.StorageHeartbeatWriter;
import io.hostwatch.auth.Authenticators;
import io.hostwatch.auth.HostKey;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.ServiceStatus;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's heartbeat loop body, run every interval on the shared heartbeat thread: read the service verdict,
 * let the {@link ServiceDownGate} decide whether to heartbeat at all, start the storage write, send the network
 * heartbeat. While the host has declared itself isolated, the storage heartbeat goes on even when the gate is
 * silent. Nothing here blocks. A real agent has one; {@code --simulate N} has N sharing one producer.
 */
public final class HostAgent {
    private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);

    private final HostIdentity identity;
    private final int intervalMs;
    private final String agentVersion;
    private final ServiceWatch serviceWatch;
    private final ServiceDownGate gate;
    private final StorageHeartbeatWriter storage;
    private final HeartbeatPublisher publisher;
    private final BooleanSupplier isolated;
    private final ChosenSilence silence;
    private final HostKey key;
    private long nextSequence;
    private boolean silent;
    private boolean errorLogged;

    /** @param storage null when the storage heartbeat is disabled */
    public HostAgent(
            HostIdentity identity,
            int intervalMs,
            String agentVersion,
            ServiceWatch serviceWatch,
            ServiceDownGate gate,
            StorageHeartbeatWriter storage,
            HeartbeatPublisher publisher,
            BooleanSupplier isolated,
            ChosenSilence silence,
            HostKey key) {
        this.key = key;
        this.identity = identity;
        this.intervalMs = intervalMs;
        this.agentVersion = agentVersion;
        this.serviceWatch = serviceWatch;
        this.gate = gate;
        this.storage = storage;
        this.publisher = publisher;
        this.isolated = isolated;
        this.silence = silence;
    }

    public HostIdentity identity() {
        return identity;
    }

    public ServiceDownGate.Phase phase() {
        return gate.phase();
    }

    public void tick() {
        try {
            long now = System.nanoTime();
            ServiceStatus status = serviceWatch.current();
            boolean isolatedNow = isolated.getAsBoolean();
            boolean wasSilent = silent;
            silent = gate.decide(status, now) == ServiceDownGate.Decision.SILENT;
            silence.record(wasSilent, silent, now);
            if (silent) {
                if (isolatedNow && storage != null) {
                    // The isolation response typically stops the very service the gate watches: going silent on
                    // storage too would turn ISOLATED (ping fails, storage fresh) into DEAD (ping fails, storage
                    // stale) for the prober and lose the isolated marker. The network heartbeat stays silent as the
                    // gate decided: Kafka is out of reach anyway.
                    storage.tick(true, now);
                }
                return;
            }
            StorageHeartbeatWriter.Snapshot written =
                    storage == null ? StorageHeartbeatWriter.Snapshot.DISABLED : storage.tick(isolatedNow, now);
            Heartbeat heartbeat = new Heartbeat(
                    identity.host(),
                    identity.agentInstance(),
                    nextSequence,
                    Instant.ofEpochMilli(System.currentTimeMillis()),
                    intervalMs,
                    identity.address(),
                    identity.failureDomain().orElse(null),
                    status,
                    written.storageSequence(),
                    written.writeOk(),
                    agentVersion,
                    null,
                    null);
            if (key != null) {
                Authenticators.authenticate(key, heartbeat);
            }
            if (publisher.publish(heartbeat)) {
                nextSequence++;
            }
            errorLogged = false;
        } catch (RuntimeException e) {
            // Thrown out of a scheduled task it would cancel this host's heartbeats for good.
            if (!errorLogged) {
                errorLogged = true;
                LOG.error("event=heartbeat.error host={}", identity.host(), e);
            }
        }
    }
}
