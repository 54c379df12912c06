package io.hostwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {

    @Test
    void shouldDeclareEveryTopicOfTheContractWithItsCleanupAndTimestampType() {
        Map<String, TopicSpec> specs =
                TopicLayout.defaults().specs().stream().collect(Collectors.toMap(TopicSpec::name, s -> s));

        assertThat(specs)
                .containsOnlyKeys(
                        "hostwatch.heartbeats",
                        "hostwatch.ticks",
                        "hostwatch.probe-requests",
                        "hostwatch.probe-results",
                        "hostwatch.host-states",
                        "hostwatch.host-state-history",
                        "hostwatch.dead-letters");
        assertThat(specs.values())
                .allSatisfy(spec -> assertThat(spec.partitions()).isEqualTo(12));
        assertThat(specs.get("hostwatch.host-states").configs()).containsEntry("cleanup.policy", "compact");
        assertThat(specs.get("hostwatch.host-state-history").configs())
                .containsEntry("retention.ms", Long.toString(30L * 24 * 3600 * 1000));
        for (String logAppend : new String[] {"hostwatch.heartbeats", "hostwatch.ticks", "hostwatch.probe-results"}) {
            assertThat(specs.get(logAppend).configs()).containsEntry("message.timestamp.type", "LogAppendTime");
        }
        assertThat(specs.get("hostwatch.probe-requests").configs())
                .doesNotContainKey("message.timestamp.type")
                .containsEntry("retention.ms", Long.toString(24L * 3600 * 1000));
    }

    @Test
    void shouldApplyThePrefixToEveryName() {
        assertThat(new TopicLayout("t7.", 3).specs()).allSatisfy(spec -> {
            assertThat(spec.name()).startsWith("t7.");
            assertThat(spec.partitions()).isEqualTo(3);
        });
    }
}
