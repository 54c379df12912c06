package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedNetworksTest {
    private final AllowedNetworks networks =
            AllowedNetworks.parse(List.of("10.20.0.0/16", "192.168.7.128/25", "fd00:20::/48"));

    @Test
    void shouldAllowAddressesInsideTheNetworks() {
        assertThat(networks.refusal("10.20.255.1")).isEmpty();
        assertThat(networks.refusal("192.168.7.200")).isEmpty();
        assertThat(networks.refusal("fd00:20:0:1::5")).isEmpty();
    }

    @Test
    void shouldRefuseAddressesOutsideTheNetworksAndAnythingButAnIpLiteral() {
        assertThat(networks.refusal("10.21.0.1")).get().asString().contains("outside");
        assertThat(networks.refusal("192.168.7.127")).get().asString().contains("outside");
        assertThat(networks.refusal("fd00:21::1")).get().asString().contains("outside");
        assertThat(networks.refusal("999.999.1.1; rm -rf /")).get().asString().contains("not an IP literal");
        assertThat(networks.refusal("compute-01.example.net")).get().asString().contains("not an IP literal");
    }

    @Test
    void shouldAllowEverythingWhenEmpty() {
        assertThat(AllowedNetworks.ANY.refusal("203.0.113.9")).isEmpty();
    }

    @Test
    void shouldRejectAnEntryThatIsNoCidr() {
        assertThatThrownBy(() -> AllowedNetworks.parse(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> AllowedNetworks.parse(List.of("mgmt-net"))).hasMessageContaining("mgmt-net");
    }
}
