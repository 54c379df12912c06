package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.schema.HostCondition;
import io.hostwatch.schema.HostStatus;
import io.hostwatch.schema.StateReason;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class HostTimelineSerdeTest {
    private final HostTimelineSerde serde = new HostTimelineSerde();

    private static HostTimeline.Entry entry(long at, HostStatus state, HostStatus previous) {
        return new HostTimeline.Entry(
                state, StateReason.HEARTBEATING, Set.of(HostCondition.STORAGE_DEGRADED), previous, at - 1, at);
    }

    @Test
    void shouldKeepTheLastFiftyTransitionsOldestFirstWhenMoreArrive() {
        // given
        HostTimeline timeline = null;

        // when
        for (int i = 1; i <= 60; i++) {
            timeline = HostTimeline.append(timeline, entry(i, HostStatus.RUNNING, HostStatus.DEAD));
        }

        // then
        assertThat(timeline.entries()).hasSize(HostTimeline.CAPACITY);
        assertThat(timeline.entries().get(0).observedAt()).isEqualTo(11);
        assertThat(timeline.entries().get(49).observedAt()).isEqualTo(60);
    }

    @Test
    void shouldReadBackWhatItWroteWhenEnumsAndNullsAreInvolved() {
        // given
        HostTimeline timeline = HostTimeline.append(
                HostTimeline.append(null, entry(1_700_000_000_000L, HostStatus.RUNNING, null)),
                new HostTimeline.Entry(
                        HostStatus.UNKNOWN,
                        StateReason.MASS_FAILURE_SUSPECTED,
                        Set.of(),
                        HostStatus.RUNNING,
                        1_700_000_003_000L,
                        1_700_000_004_000L));

        // when
        byte[] bytes = serde.serialize("t", timeline);

        // then
        assertThat(serde.deserialize("t", bytes)).isEqualTo(timeline);
        assertThat(bytes.length).isLessThanOrEqualTo(2 + 2 * 13);
    }

    @Test
    void shouldRefuseAnUnknownVersion() {
        byte[] bytes = serde.serialize("t", HostTimeline.append(null, entry(5, HostStatus.DEAD, null)));
        bytes[0] = 9;
        assertThatThrownBy(() -> serde.deserialize("t", bytes)).isInstanceOf(SerializationException.class);
    }
}
