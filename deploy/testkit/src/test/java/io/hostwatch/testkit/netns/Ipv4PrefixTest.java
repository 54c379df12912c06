package io.hostwatch.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4PrefixTest {

    @Test
    void shouldNormaliseToNetworkAddressWhenParsingAnInterfaceAddress() {
        assertThat(Ipv4Prefix.parse("192.0.2.7/24")).hasToString("192.0.2.0/24");
        assertThat(Ipv4Prefix.parse("198.18.0.1")).hasToString("198.18.0.1/32");
        assertThat(Ipv4Prefix.parse("default")).hasToString("0.0.0.0/0");
    }

    @Test
    void shouldDetectOverlapInBothDirectionsWhenOnePrefixContainsTheOther() {
        // given
        Ipv4Prefix pool = Ipv4Prefix.parse("198.18.0.0/15");
        Ipv4Prefix inside = Ipv4Prefix.parse("198.19.255.0/24");
        Ipv4Prefix outside = Ipv4Prefix.parse("198.20.0.0/24");

        // then
        assertThat(pool.overlaps(inside)).isTrue();
        assertThat(inside.overlaps(pool)).isTrue();
        assertThat(pool.contains(inside)).isTrue();
        assertThat(inside.contains(pool)).isFalse();
        assertThat(pool.overlaps(outside)).isFalse();
        assertThat(Ipv4Prefix.parse("0.0.0.0/0").overlaps(outside)).isTrue();
    }

    @Test
    void shouldCarveSlash30sWhenSplittingABlock() {
        // given
        Ipv4Prefix block = Ipv4Prefix.parse("198.18.3.0/24");

        // when
        Ipv4Prefix second = block.subnet(30, 1);

        // then
        assertThat(second).hasToString("198.18.3.4/30");
        assertThat(second.addressAt(1)).isEqualTo("198.18.3.5");
        assertThat(second.addressAt(2)).isEqualTo("198.18.3.6");
        assertThat(block.subnet(30, 63)).hasToString("198.18.3.252/30");
        assertThatThrownBy(() -> block.subnet(30, 64)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectMalformedAddresses() {
        assertThatThrownBy(() -> Ipv4Prefix.parse("256.0.0.1/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
