package io.hostwatch.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultGatewayTest {

    @Test
    void shouldReadDefaultGatewayInHostByteOrder() {
        String routes = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";

        assertThat(DefaultGateway.parse(routes)).contains("192.0.2.1");
    }

    @Test
    void shouldFindNoneWithoutDefaultRoute() {
        String routes = "Iface\tDestination\tGateway \tFlags\n" + "veth0\t0000FEA9\t00000000\t0001\n";

        assertThat(DefaultGateway.parse(routes)).isEmpty();
    }

    @Test
    void shouldParseAddressesWithAndWithoutPort() {
        assertThat(IsolationAddress.parse("10.0.0.1", 22)).isEqualTo(new IsolationAddress("10.0.0.1", 22));
        assertThat(IsolationAddress.parse("10.0.0.1:7", 22)).isEqualTo(new IsolationAddress("10.0.0.1", 7));
        assertThat(IsolationAddress.parse("[fd00::1]:8", 22)).isEqualTo(new IsolationAddress("fd00::1", 8));
        assertThat(IsolationAddress.parse("fd00::1", 22)).isEqualTo(new IsolationAddress("fd00::1", 22));
    }
}
