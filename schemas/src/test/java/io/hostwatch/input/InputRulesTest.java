package io.hostwatch.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputRulesTest {
    @Test
    void shouldAcceptNovaHostNamesOnly() {
        assertThat(InputRules.validHostId("compute-01.az1.example_net")).isTrue();
        assertThat(InputRules.validHostId("x".repeat(255))).isTrue();
        assertThat(InputRules.validHostId("x".repeat(256))).isFalse();
        assertThat(InputRules.validHostId("")).isFalse();
        assertThat(InputRules.validHostId("..")).isFalse();
        assertThat(InputRules.validHostId("a/b")).isFalse();
        assertThat(InputRules.validHostId("a b")).isFalse();
        assertThat(InputRules.validHostId("hôte")).isFalse();
    }

    @Test
    void shouldAcceptIpLiteralsOnlyAndNeverResolve() {
        assertThat(InputRules.validAddress("10.0.0.1")).isTrue();
        assertThat(InputRules.validAddress("fd00::1")).isTrue();
        assertThat(InputRules.validAddress("::ffff:10.0.0.1")).isTrue();
        assertThat(InputRules.validAddress("999.999.1.1; rm -rf /")).isFalse();
        assertThat(InputRules.validAddress("999.999.1.1")).isFalse();
        assertThat(InputRules.validAddress("010.0.0.1")).isFalse();
        assertThat(InputRules.validAddress("localhost")).isFalse();
        assertThat(InputRules.validAddress("abc:def")).isFalse();
        assertThat(InputRules.validAddress("fe80::1%eth0")).isFalse();
        assertThat(InputRules.validAddress("")).isFalse();
        assertThat(InputRules.validAddress(null)).isFalse();
    }
}
