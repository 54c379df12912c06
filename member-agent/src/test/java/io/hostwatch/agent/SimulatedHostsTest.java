package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatedHostsTest {

    @Test
    void shouldNameHostsAndGiveEachItsOwnLoopbackAddressAndInstance() {
        // when
        List<HostIdentity> hosts = SimulatedHosts.create("sim-", 1, 10_000, Optional.of("az1"), 1);

        // then
        assertThat(hosts).hasSize(10_000);
        assertThat(hosts.get(0).host()).isEqualTo("sim-00001");
        assertThat(hosts.get(9_999).host()).isEqualTo("sim-10000");
        assertThat(hosts)
                .extracting(HostIdentity::address)
                .doesNotHaveDuplicates()
                .allMatch(address -> address.startsWith("127."));
        assertThat(hosts).extracting(HostIdentity::agentInstance).doesNotHaveDuplicates();
        assertThat(hosts).allMatch(h -> h.failureDomain().equals(Optional.of("az1")));
    }

    @Test
    void shouldSpreadHostsOverDomainsWhenAsked() {
        List<HostIdentity> hosts = SimulatedHosts.create("x-", 5, 4, Optional.empty(), 2);

        assertThat(hosts)
                .extracting(h -> h.failureDomain().orElseThrow())
                .containsExactly("az-1", "az-2", "az-1", "az-2");
        assertThat(hosts.get(0).host()).isEqualTo("x-00005");
    }
}
