package io.hostwatch.agent;

import io.hostwatch.runtime.config.LocalHostName;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Works out this machine's host id and management address when the config leaves them empty. */
public final class LocalIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(LocalIdentity.class);

    private LocalIdentity() {}

    public static HostIdentity resolve(MemberAgentConfig config) {
        String host = config.hostId().orElseGet(LocalIdentity::hostname);
        String address = config.agentAddress()
                .orElseGet(() -> detectAddress(config.cluster().bootstrapServers()));
        return HostIdentity.fresh(host, address, config.failureDomain());
    }

    /** This machine's host name ({@link LocalHostName}), which is what nova-compute uses as its host name by default. */
    static String hostname() {
        String name = LocalHostName.forEmpty(MemberAgentConfig.HOST_ID_CONFIG);
        if (!MemberAgentConfig.isValidHostId(name)) {
            throw new ConfigException(
                    MemberAgentConfig.HOST_ID_CONFIG,
                    name,
                    "the hostname is not a valid host "
                            + "id (letters, digits, '.', '_', '-'): set host.id explicitly");
        }
        return name;
    }

    /**
     * The local address the kernel would use towards the first resolvable bootstrap server: that interface faces the
     * detector and the probers. Connecting a UDP socket only selects a route; no packet is sent.
     */
    static String detectAddress(String bootstrapServers) {
        for (String server : bootstrapServers.split(",")) {
            int colon = server.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String host =
                    server.substring(0, colon).replace("[", "").replace("]", "").trim();
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.connect(new InetSocketAddress(
                        host, Integer.parseInt(server.substring(colon + 1).trim())));
                InetAddress local = socket.getLocalAddress();
                if (local != null && !local.isAnyLocalAddress()) {
                    return local.getHostAddress();
                }
            } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
                LOG.debug("No route to bootstrap server {}: {}", server, e.toString());
            }
        }
        Optional<String> fallback = firstInterfaceAddress();
        LOG.warn(
                "event=address.fallback address={}: no route to any bootstrap server; set agent.address if the "
                        + "prober must ping another address",
                fallback.orElse("127.0.0.1"));
        return fallback.orElse("127.0.0.1");
    }

    private static Optional<String> firstInterfaceAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
                for (InetAddress address : addresses) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        return Optional.of(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("Cannot list network interfaces: {}", e.toString());
        }
        return Optional.empty();
    }
}
