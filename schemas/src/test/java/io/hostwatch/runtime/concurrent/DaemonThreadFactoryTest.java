package io.hostwatch.runtime.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonThreadFactoryTest {
    @Test
    void shouldMakeNumberedDaemonThreadsWhenAskedTwice() {
        // given
        DaemonThreadFactory factory = new DaemonThreadFactory("storage-writer");

        // when
        Thread first = factory.newThread(() -> {});
        Thread second = factory.newThread(() -> {});

        // then
        assertThat(first.isDaemon()).isTrue();
        assertThat(second.isDaemon()).isTrue();
        assertThat(first.getName()).isEqualTo("storage-writer-1");
        assertThat(second.getName()).isEqualTo("storage-writer-2");
    }
}
