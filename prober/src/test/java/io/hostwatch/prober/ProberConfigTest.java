package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.runtime.config.ConfigSource;
import io.hostwatch.schema.PingMethod;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ProberConfigTest {

    static Map<String, String> minimal() {
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        values.put("schema.registry.url", "http://127.0.0.1:8081");
        values.put("storage.root", "/srv/hostwatch-storage");
        values.put("prober.id", "p1");
        return values;
    }

    @Test
    void shouldUseDocumentedDefaultsWhenOnlyRequiredKeysAreSet() {
        // when
        ProberConfig config = new ProberConfig(minimal());

        // then
        assertThat(config.deadline().toMillis()).isEqualTo(2000);
        assertThat(config.pingSpec().method()).isEqualTo(PingMethod.ICMP);
        assertThat(config.pingBudget().toMillis()).isEqualTo(1400);
        assertThat(config.failedPingBudget().toMillis()).isEqualTo(1900);
        assertThat(config.fanoutAll()).isTrue();
        assertThat(config.groupId()).isEqualTo("hostwatch-prober.p1");
        assertThat(config.storageTiming())
                .isEqualTo(new StorageTiming(Duration.ofMillis(1500), Duration.ofMillis(3000)));
    }

    @Test
    void shouldBoundIcmpProcessesTighterThanTcpSocketsWhenConcurrencyIsAutomatic() {
        // given
        Map<String, String> tcp = with("probe.ping.method", "tcp:22");

        // then
        assertThat(new ProberConfig(minimal()).pingMaxConcurrent(IcmpTool.PING))
                .isEqualTo(ProberConfig.ICMP_MAX_CONCURRENT_AUTO);
        assertThat(new ProberConfig(tcp).pingMaxConcurrent(IcmpTool.FPING))
                .isEqualTo(ProberConfig.TCP_MAX_CONCURRENT_AUTO);
        assertThat(new ProberConfig(minimal()).pingMaxConcurrent(IcmpTool.FPING))
                .isEqualTo(ProberConfig.FPING_MAX_CONCURRENT_AUTO);
        tcp.put("probe.ping.max.concurrent", "50");
        assertThat(new ProberConfig(tcp).pingMaxConcurrent(IcmpTool.FPING)).isEqualTo(50);
        assertThatThrownBy(() -> new ProberConfig(with("probe.ping.max.concurrent", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("probe.ping.max.concurrent");
    }

    @Test
    void shouldShareOneGroupWhenFanoutIsAssigned() {
        // given
        Map<String, String> values = minimal();
        values.put("probe.fanout", "assigned");

        // then
        assertThat(new ProberConfig(values).groupId()).isEqualTo("hostwatch-prober");
    }

    @Test
    void shouldParseTcpMethodWithPort() {
        // given
        Map<String, String> values = minimal();
        values.put("probe.ping.method", "tcp:22");

        // when
        PingSpec spec = new ProberConfig(values).pingSpec();

        // then
        assertThat(spec.method()).isEqualTo(PingMethod.TCP);
        assertThat(spec.port()).isEqualTo(22);
    }

    @Test
    void shouldTakeEnvironmentOverridesOverTheFile() {
        // given
        Map<String, String> env = Map.of(
                "HOSTWATCH_PROBE_DEADLINE_MS",
                "3000",
                "HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:9092",
                "HOSTWATCH_SCHEMA_REGISTRY_URL",
                "http://127.0.0.1:8081",
                "HOSTWATCH_STORAGE_ROOT",
                "/srv/s");

        // when
        ProberConfig config = new ProberConfig(ConfigSource.load(null, env));

        // then
        assertThat(config.deadline().toMillis()).isEqualTo(3000);
    }

    @Test
    void shouldRejectBadValuesNamingTheKey() {
        assertThatThrownBy(() -> new ProberConfig(with("probe.ping.method", "udp")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("probe.ping.method");
        assertThatThrownBy(() -> new ProberConfig(with("probe.ping.method", "tcp:70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("port 1..65535");
        assertThatThrownBy(() -> new ProberConfig(with("probe.fanout", "some")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("probe.fanout");
        Map<String, String> noRoot = minimal();
        noRoot.remove("storage.root");
        assertThatThrownBy(() -> new ProberConfig(noRoot))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.root");
    }

    @Test
    void shouldRejectAStaleSilenceShorterThanTheRecheckDelay() {
        // given
        Map<String, String> values = with("storage.stale.silence.ms", "1000");

        // then: one read would judge on less than the second read sees
        assertThatThrownBy(() -> new ProberConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.stale.silence.ms")
                .hasMessageContaining("storage.recheck.delay.ms");
    }

    @Test
    void shouldRejectAPingThatCannotFinishBeforeTheDeadline() {
        // given 5 attempts 400 ms apart plus 1 s timeout = 2.6 s > 2 s deadline
        Map<String, String> values = with("probe.ping.count", "5");
        values.put("probe.ping.interval.ms", "400");

        // then
        assertThatThrownBy(() -> new ProberConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("2600 ms");
    }

    @Test
    void shouldRejectAPingWhoseConfirmingSelfCheckCannotFinishBeforeTheDeadline() {
        // given a ping that fits (2 x 200 ms + 1400 ms = 1.8 s < 2 s), but not with its 500 ms confirmation
        Map<String, String> values = with("probe.ping.timeout.ms", "1400");

        // then
        assertThatThrownBy(() -> new ProberConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("selfcheck.timeout.ms")
                .hasMessageContaining("2300 ms");
    }

    @Test
    void shouldAllowForASelfCheckAlreadyRunningWhenTheSelfCheckTimeoutExceedsThePing() {
        // given a 100 ms ping, and 900 ms self-checks: one begun just before the ping ends ~900 ms later,
        // and only the next one may confirm FAILED: 1.8 s
        Map<String, String> values = with("probe.ping.count", "1");
        values.put("probe.ping.timeout.ms", "100");
        values.put("selfcheck.timeout.ms", "900");

        // then
        assertThat(new ProberConfig(values).failedPingBudget().toMillis()).isEqualTo(1800);
        values.put("probe.deadline.ms", "1700");
        assertThatThrownBy(() -> new ProberConfig(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("1800 ms");
    }

    @Test
    void shouldRejectAStorageRecheckThatCannotFinishBeforeTheDeadline() {
        assertThatThrownBy(() -> new ProberConfig(with("storage.recheck.delay.ms", "2000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.recheck.delay.ms");
    }

    @Test
    void shouldRejectIcmpIntervalsBelowWhatPingAllowsUnprivileged() {
        assertThatThrownBy(() -> new ProberConfig(with("probe.ping.interval.ms", "50")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(">= 200");
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = minimal();
        values.put(key, value);
        return values;
    }
}
