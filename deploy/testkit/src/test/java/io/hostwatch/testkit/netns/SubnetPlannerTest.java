package io.hostwatch.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetPlannerTest {
    private static final Ipv4Prefix POOL = SubnetPlanner.DEFAULT_POOL;

    private static final String ADDRESSES = """
            1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
            4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever
            """;
    private static final String ROUTES = """
            default via 192.0.2.1 dev eth0
            192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
            local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
            local 192.0.2.2 dev eth0 table local proto kernel scope host src 192.0.2.2
            broadcast 192.0.2.255 dev eth0 table local proto kernel scope link src 192.0.2.2
            """;

    @Test
    void shouldPickFirstBlockWhenMachineUsesNothingInThePool() {
        // when
        Ipv4Prefix block = SubnetPlanner.choose(POOL, 24, IpInventory.parse(ROUTES, ADDRESSES));

        // then
        assertThat(block).hasToString("198.18.0.0/24");
    }

    @Test
    void shouldRefuseWhenAnInterfaceAddressIsInsideThePool() {
        // given
        String addresses = ADDRESSES + "5: ens4    inet 198.19.7.9/16 scope global ens4\\ valid_lft forever\n";

        // then
        assertThatThrownBy(() -> SubnetPlanner.choose(POOL, 24, IpInventory.parse(ROUTES, addresses)))
                .isInstanceOf(SubnetCollisionException.class)
                .hasMessageContaining("198.19.0.0/16 on ens4")
                .hasMessageContaining(TestNetwork.POOL_PROPERTY);
    }

    @Test
    void shouldRefuseWhenARouteCoversThePool() {
        // given a route to a real network that includes the whole pool
        String routes = ROUTES + "198.0.0.0/8 via 192.0.2.1 dev eth0\n";

        // then
        assertThatThrownBy(() -> SubnetPlanner.choose(POOL, 24, IpInventory.parse(routes, ADDRESSES)))
                .isInstanceOf(SubnetCollisionException.class)
                .hasMessageContaining("198.0.0.0/8 via 192.0.2.1");
    }

    @Test
    void shouldRefuseWhenAForeignBlackholeSitsInThePool() {
        // given a blackhole that is not tagged as the harness's
        String routes = ROUTES + "blackhole 198.18.0.0/24 proto static\n";

        // then
        assertThatThrownBy(() -> SubnetPlanner.choose(POOL, 24, IpInventory.parse(routes, ADDRESSES)))
                .isInstanceOf(SubnetCollisionException.class);
    }

    @Test
    void shouldSkipBlocksOtherHarnessesClaimedWhenTheirAddressesAndRoutesAreInside() {
        // given another JVM's network in 198.18.0.0/24 with one host, and one in 198.18.1.0/24
        String routes = ROUTES
                + "blackhole 198.18.0.0/24 proto 231 metric 4242\n"
                + "198.18.0.4/30 dev hwt39u-1 proto kernel scope link src 198.18.0.5\n"
                + "blackhole 198.18.1.0/24 proto 231 metric 4343\n"
                + "local 198.18.0.1 dev lo table local proto kernel scope host src 198.18.0.1\n";
        String addresses = ADDRESSES
                + "1: lo    inet 198.18.0.1/32 scope global lo:hwt39u-1\\ valid_lft forever\n"
                + "9: hwt39u-1    inet 198.18.0.5/30 scope global hwt39u-1\\ valid_lft forever\n";

        // when
        Ipv4Prefix block = SubnetPlanner.choose(POOL, 24, IpInventory.parse(routes, addresses));

        // then
        assertThat(block).hasToString("198.18.2.0/24");
    }

    @Test
    void shouldFailClearlyWhenEveryBlockIsClaimed() {
        // given a tiny pool whose only block is taken
        Ipv4Prefix pool = Ipv4Prefix.parse("198.18.0.0/24");
        String routes = ROUTES + "blackhole 198.18.0.0/24 proto 231 metric 4242\n";

        // then
        assertThatThrownBy(() -> SubnetPlanner.choose(pool, 24, IpInventory.parse(routes, ADDRESSES)))
                .isInstanceOf(SubnetCollisionException.class)
                .hasMessageContaining("claimed by another running test network");
    }

    @Test
    void shouldParseRouteTypeProtocolMetricAndLabel() {
        // when
        IpInventory inventory = IpInventory.parse(
                "blackhole 198.18.4.0/24 proto 231 metric 777\n    cache\n",
                "1: lo    inet 198.18.4.1/32 scope global lo:hwtabc-2\\       valid_lft forever\n");

        // then
        assertThat(inventory.routes()).singleElement().satisfies(route -> {
            assertThat(route.type()).isEqualTo("blackhole");
            assertThat(route.protocol()).isEqualTo("231");
            assertThat(route.metric()).isEqualTo(777);
        });
        assertThat(inventory.addresses()).singleElement().satisfies(address -> {
            assertThat(address.address()).isEqualTo("198.18.4.1");
            assertThat(address.label()).isEqualTo("lo:hwtabc-2");
        });
    }
}
