package io.hostwatch.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HostStoryTest {
    private static String story(String host, boolean json) {
        Topics topics = ReplayEngineTest.topics();
        DetectorConfig config = ReplayEngineTest.config(Map.of());
        StringWriter text = new StringWriter();
        HostStory story = new HostStory(
                host, topics.heartbeats().name(), topics.probeResults().name(), new PrintWriter(text), json);
        Replayer.replay(config, topics, new SyntheticFleet(topics, 120, 80, 3000), story);
        story.finish(SyntheticFleet.T0 + 80_000);
        return text.toString();
    }

    @Test
    void shouldTellTheProbeAnswersAndTheRuleWhenAHostDies() {
        // when: host 5 stops at 20 s, both probers see ping FAILED and storage STALE, it comes back at 50 s
        String story = story(SyntheticFleet.host(5), false);

        // then
        assertThat(story)
                .contains("first heartbeat  domain az-0")
                .contains("probe request    attempt 1, host-000005/")
                .contains("prober-0: ping FAILED, storage STALE")
                .contains("prober-1: ping FAILED, storage STALE")
                .contains("RUNNING -> DEAD HARDWARE_FAILURE_OR_SHUTDOWN, rule PING_FAILED_STORAGE_STALE; guard: ")
                .containsPattern("heartbeat gap    3[0-9]\\.[0-9]{3} s of silence")
                .contains("DEAD -> RUNNING RECOVERED, rule HEARTBEAT_RECOVERED")
                .doesNotContain("host-000006");
    }

    @Test
    void shouldShowTheGuardHoldingWhenHalfADomainGoesSilent() {
        // when: host 10 is one of az-0's hosts that stop together at 40 s
        String story = story(SyntheticFleet.host(10), true);

        // then
        assertThat(story)
                .contains("\"event\":\"verdict\"")
                .contains("\"reason\":\"MASS_FAILURE_SUSPECTED\"")
                .contains("\"rule\":\"GUARD_HOLDING(PING_FAILED_STORAGE_STALE)\"")
                .contains("\"holding\":true");
    }
}
