package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Name lookups go to src/test/resources/hosts (jdk.net.hosts.file), never to a DNS server. */
@Timeout(30)
class AddressResolverTest {
    private static final Deadline LATER = Deadline.in(Duration.ofHours(1));

    private final AddressResolver resolver = new AddressResolver(1);

    @AfterEach
    void tearDown() {
        resolver.close();
    }

    @Test
    void shouldParseLiteralsOnTheCallingThreadWhenTheAddressIsAnIpLiteral() throws Exception {
        // given
        byte[] loopback6 = new byte[16];
        loopback6[15] = 1;
        byte[] documentation = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

        // then: already done when resolve returns, i.e. no lookup was queued
        assertThat(resolved("127.0.0.1")).isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        assertThat(resolved("::1")).isEqualTo(InetAddress.getByAddress(loopback6));
        assertThat(resolved("[::1]")).isEqualTo(InetAddress.getByAddress(loopback6));
        assertThat(resolved("2001:db8:0:0:0:0:0:1")).isEqualTo(InetAddress.getByAddress(documentation));
        assertThat(resolved("2001:DB8::1")).isEqualTo(InetAddress.getByAddress(documentation));
        assertThat(resolved("::ffff:127.0.0.1")).isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        assertThat(resolved("fe80::1%1"))
                .isInstanceOfSatisfying(
                        Inet6Address.class,
                        address -> assertThat(address.getScopeId()).isEqualTo(1));
    }

    @Test
    void shouldRejectAColonAddressWithoutLookingItUpWhenItIsNoIpv6Literal() {
        // given "node:22" is in the test hosts file, so a lookup would find it
        for (String bad : List.of(
                "node:22",
                "1:2:3:4:5:6:7:8:9",
                "1::2::3",
                "12345::1",
                "[::1",
                "::1]",
                "::1%",
                "::1.2.3",
                "::256.1.1.1",
                "g::1")) {
            // when
            CompletableFuture<InetAddress> result = resolver.resolve(bad, LATER);

            // then
            assertThat(result).as("address '%s'", bad).isCompletedExceptionally();
            assertThatThrownBy(result::join)
                    .as("address '%s'", bad)
                    .hasCauseInstanceOf(AddressResolver.BadAddressException.class)
                    .hasMessageContaining("not a valid IP");
        }
    }

    @Test
    void shouldLookUpNamesOnThePoolWhenTheAddressIsAHostName() throws Exception {
        assertThat(resolver.resolve("alive.test", LATER).get(5, TimeUnit.SECONDS))
                .isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
        assertThatThrownBy(() -> resolver.resolve("no-such-host.test", LATER).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("cannot resolve 'no-such-host.test'");
    }

    @Test
    void shouldNotLookUpANameWhenTheDeadlinePassedBeforeADnsThreadWasFree() {
        // when
        CompletableFuture<InetAddress> result = resolver.resolve("alive.test", Deadline.in(Duration.ZERO));

        // then
        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("not looked up");
    }

    private InetAddress resolved(String address) {
        CompletableFuture<InetAddress> result = resolver.resolve(address, LATER);
        assertThat(result).as("address '%s'", address).isDone();
        return result.join();
    }
}
