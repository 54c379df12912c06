package io.hostwatch.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {
    private final DeadlineIndex index = new DeadlineIndex();

    private List<String> due(long limit) {
        List<String> hosts = new ArrayList<>();
        String host;
        while ((host = index.pollDue(limit)) != null) {
            hosts.add(host + "@" + index.lastDue());
        }
        return hosts;
    }

    @Test
    void shouldReturnOnlyHostsDueBeforeTheLimitInDueOrder() {
        // given
        index.schedule("c", 300);
        index.schedule("a", 100);
        index.schedule("b", 200);

        // then
        assertThat(due(200)).containsExactly("a@100");
        assertThat(due(1000)).containsExactly("b@200", "c@300");
        assertThat(due(1000)).isEmpty();
    }

    @Test
    void shouldFollowADeadlineMovedLaterOrEarlier() {
        // given
        index.schedule("a", 100);
        index.schedule("b", 100);

        // when: a heartbeats (later), b is re-timed earlier
        index.schedule("a", 500);
        index.schedule("b", 50);

        // then
        assertThat(due(400)).containsExactly("b@50");
        assertThat(due(501)).containsExactly("a@500");
        assertThat(index.size()).isZero();
    }

    @Test
    void shouldForgetACancelledHost() {
        index.schedule("a", 100);
        index.schedule("a", HostRecord.UNSET);

        assertThat(due(1000)).isEmpty();
    }

    @Test
    void shouldNotReturnAHostTwiceWhenItWasQueuedTwice() {
        index.schedule("a", 100);
        index.schedule("a", 50);
        assertThat(due(60)).containsExactly("a@50");

        index.schedule("a", 100);
        assertThat(due(1000)).containsExactly("a@100");
    }
}
