package io.hostwatch.agent;

import io.hostwatch.auth.HostKey;
import io.hostwatch.auth.KeyFiles;
import io.hostwatch.auth.MasterKey;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys the agent authenticates its heartbeats and storage files with (contract section 11): a real agent holds
 * its own host key; {@code --simulate} may be given a master key to derive each virtual host's key (a load test
 * only: a compute host never holds the master key).
 */
final class AgentKeys {
    private static final Logger LOG = LoggerFactory.getLogger(AgentKeys.class);
    static final AgentKeys NONE = new AgentKeys(null, null);

    private final HostKey hostKey;
    private final MasterKey masterKey;

    private AgentKeys(HostKey hostKey, MasterKey masterKey) {
        this.hostKey = hostKey;
        this.masterKey = masterKey;
    }

    /** Reads {@code file} (mode 0600 or refused); {@code configKey} names it in errors. */
    static AgentKeys load(Path file, String configKey) {
        if (KeyFiles.isMaster(file, configKey)) {
            LOG.warn(
                    "event=auth.master_key file={}: the agent derives host keys from a master key, which only a "
                            + "load test (--simulate) may do; give a compute host its own key (keys derive)",
                    file);
            return new AgentKeys(null, KeyFiles.readMaster(file, configKey));
        }
        return new AgentKeys(KeyFiles.readHost(file, configKey), null);
    }

    boolean enabled() {
        return hostKey != null || masterKey != null;
    }

    /** The key of {@code host}, or null when the agent does not authenticate. */
    HostKey keyFor(String host, String configKey) {
        if (masterKey != null) {
            return masterKey.derive(host);
        }
        if (hostKey != null && !hostKey.host().equals(host)) {
            throw new ConfigException(
                    configKey, hostKey.host(), "the host key file is for host '" + hostKey.host() + "', not " + host);
        }
        return hostKey;
    }
}
