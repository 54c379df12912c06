package io.hostwatch.detector.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostSliceTest {
    private static HostRow row(String host, String state, String domain, String... conditions) {
        return new HostRow(host, state, "R", List.of(conditions), domain, 1, 2);
    }

    @Test
    void shouldPutHostsThatAreNotRunningFirstWorstFirstThenDegradedThenByName() {
        // given
        List<HostRow> hosts = List.of(
                row("a", "RUNNING", "d"),
                row("b", "UNKNOWN", "d"),
                row("c", "RUNNING", "d", "STORAGE_DEGRADED"),
                row("d", "DEAD", "d"),
                row("e", "SERVICE_UNREACHABLE", "d"),
                row("f", "ISOLATED", "d"),
                row("g", "PARTITIONED", "d"),
                row("h", "DEAD", "d"));

        // when
        HostSlice slice = HostSlice.of(hosts, HostFilter.parse(Map.of()), 10);

        // then
        assertThat(slice.rows()).extracting(HostRow::host).containsExactly("d", "h", "f", "g", "e", "b", "c", "a");
    }

    @Test
    void shouldCountEveryHostButKeepOnlyTheWindowOfMatchingOnes() {
        // given
        List<HostRow> hosts = new ArrayList<>();
        IntStream.range(0, 1000).forEach(i -> hosts.add(row(String.format("h%04d", i), "RUNNING", "az-" + i % 2)));
        hosts.add(row("h9999", "DEAD", "az-1"));
        hosts.add(row("h9998", "RUNNING", "az-0", "STORAGE_DEGRADED"));
        Collections.shuffle(hosts, new Random(7));

        // when
        HostSlice slice = HostSlice.of(hosts, HostFilter.parse(Map.of("domain", "az-1")), 3);

        // then
        assertThat(slice.counts())
                .containsEntry("RUNNING", 1001)
                .containsEntry("DEAD", 1)
                .containsEntry("DEGRADED", 1);
        assertThat(slice.total()).isEqualTo(1002);
        assertThat(slice.matched()).isEqualTo(501);
        assertThat(slice.rows()).extracting(HostRow::host).containsExactly("h9999", "h0001", "h0003");
        assertThat(slice.domains().get("az-1")).isEqualTo(new HostSlice.DomainTally(501, 1));
        assertThat(slice.domains().get("az-0")).isEqualTo(new HostSlice.DomainTally(501, 0));
    }

    @Test
    void shouldGiveTheSamePageFromMergedSlicesAsFromOneWhenHostsAreSplitOverInstances() {
        // given: 300 hosts with mixed states, split over three instances
        String[] states = {"RUNNING", "RUNNING", "RUNNING", "DEAD", "UNKNOWN"};
        List<HostRow> all = IntStream.range(0, 300)
                .mapToObj(i -> row("host-" + i, states[i % states.length], "az"))
                .toList();
        HostFilter filter = HostFilter.parse(Map.of("offset", "40", "limit", "25", "q", "HOST-1"));

        // when
        List<HostSlice> parts = IntStream.range(0, 3)
                .mapToObj(p -> HostSlice.of(
                        all.stream()
                                .filter(r -> Math.floorMod(r.host().hashCode(), 3) == p)
                                .toList(),
                        filter,
                        filter.window()))
                .toList();
        HostPage merged = HostSlice.merge(parts, filter.window()).page(filter, 5);
        HostPage single = HostSlice.of(all, filter, filter.window()).page(filter, 5);

        // then
        assertThat(merged).isEqualTo(single);
        assertThat(merged.rows()).hasSize(25);
        assertThat(merged.matched()).isEqualTo(111);
        assertThat(merged.rows().get(0).host()).startsWith("host-1");
    }

    @Test
    void shouldFilterByStateDegradedDomainAndCaseInsensitiveSearch() {
        // given
        List<HostRow> hosts = List.of(
                row("Compute-01", "RUNNING", "az-1", "STORAGE_DEGRADED"),
                row("compute-02", "RUNNING", "az-1"),
                row("compute-03", "DEAD", "az-2"));

        // then
        assertThat(HostSlice.of(hosts, HostFilter.parse(Map.of("state", "degraded")), 10)
                        .rows())
                .extracting(HostRow::host)
                .containsExactly("Compute-01");
        assertThat(HostSlice.of(hosts, HostFilter.parse(Map.of("state", "RUNNING", "q", "COMPUTE-0")), 10)
                        .rows())
                .extracting(HostRow::host)
                .containsExactly("Compute-01", "compute-02");
        assertThat(HostSlice.of(hosts, HostFilter.parse(Map.of("domain", "az-2")), 10)
                        .rows())
                .extracting(HostRow::host)
                .containsExactly("compute-03");
    }

    @Test
    void shouldRejectBadParametersWhenParsed() {
        assertThatThrownBy(() -> HostFilter.parse(Map.of("state", "ZOMBIE"))).hasMessageContaining("ZOMBIE");
        assertThatThrownBy(() -> HostFilter.parse(Map.of("limit", "501"))).hasMessageContaining("limit");
        assertThatThrownBy(() -> HostFilter.parse(Map.of("offset", "-1"))).hasMessageContaining("offset");
        assertThatThrownBy(() -> HostFilter.parse(Map.of("limit", "ten"))).hasMessageContaining("integer");
        assertThat(HostFilter.parse(Map.of()).limit()).isEqualTo(HostFilter.DEFAULT_LIMIT);
    }

    @Test
    void shouldAskPeersForTheWholeWindowWithTheSameFilter() {
        // given
        HostFilter filter = HostFilter.parse(Map.of("state", "DEAD", "domain", "az 1", "offset", "600", "limit", "50"));

        // then
        assertThat(filter.peerQuery()).isEqualTo("local=true&window=650&state=DEAD&domain=az+1");
    }
}
