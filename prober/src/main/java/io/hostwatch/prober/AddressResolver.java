package io.hostwatch.prober;

import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Turns a probe request's address into an IP address. Literals are parsed by {@link IpLiterals} on the caller's
 * thread, which is the poll thread and must never wait for DNS; names, and only names, are resolved on a small
 * pool, because a slow DNS server must hold up only the probes that need it. Anything that is not a unicast host
 * address (bad syntax, unknown name, 0.0.0.0, multicast) is a {@link BadAddressException}: the ping part
 * becomes ERROR, never FAILED, since it says nothing about the host.
 */
final class AddressResolver implements AutoCloseable {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

    private final ExecutorService dns;

    AddressResolver(int threads) {
        this.dns = Executors.newFixedThreadPool(threads, new DaemonThreadFactory("prober-dns"));
    }

    /** The address could not be turned into a host to ping. */
    static final class BadAddressException extends Exception {
        BadAddressException(String message) {
            super(message);
        }
    }

    /** A name whose lookup has not started by {@code deadline} is not looked up (a {@link TimeoutException}). */
    CompletableFuture<InetAddress> resolve(String address, Deadline deadline) {
        String trimmed = address == null ? "" : address.trim();
        try {
            if (IpLiterals.looksLikeLiteral(trimmed)) {
                return CompletableFuture.completedFuture(check(trimmed, IpLiterals.parse(trimmed)));
            }
            if (!HOST_NAME.matcher(trimmed).matches()) {
                throw new BadAddressException("'" + trimmed + "' is neither an IP address nor a host name");
            }
        } catch (BadAddressException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<InetAddress> result = new CompletableFuture<>();
        dns.execute(() -> {
            if (deadline.passed()) {
                result.completeExceptionally(new TimeoutException("'" + trimmed + "' not looked up: the deadline "
                        + "passed while the lookup waited for a dns thread"));
                return;
            }
            try {
                result.complete(check(trimmed, InetAddress.getByName(trimmed)));
            } catch (UnknownHostException e) {
                result.completeExceptionally(
                        new BadAddressException("cannot resolve '" + trimmed + "': " + e.getMessage()));
            } catch (BadAddressException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static InetAddress check(String text, InetAddress address) throws BadAddressException {
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new BadAddressException("'" + text + "' is not a unicast host address");
        }
        return address;
    }

    @Override
    public void close() {
        dns.shutdownNow();
    }
}
