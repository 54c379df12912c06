package io.hostwatch.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.schema.ServiceStatus;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceWatchTest {

    @Test
    void shouldBeDegradedUntilFirstCheckThenFollowChecks() {
        // given
        AtomicReference<ServiceStatus> next = new AtomicReference<>(ServiceStatus.OK);
        ServiceWatch watch = new ServiceWatch("h", new ServiceCheck() {
            @Override
            public Result check() {
                return new Result(next.get(), "test");
            }

            @Override
            public String describe() {
                return "test";
            }
        });

        // then
        assertThat(watch.current()).isEqualTo(ServiceStatus.DEGRADED);
        watch.runOnce();
        assertThat(watch.current()).isEqualTo(ServiceStatus.OK);
        next.set(ServiceStatus.DOWN);
        watch.runOnce();
        assertThat(watch.current()).isEqualTo(ServiceStatus.DOWN);
    }

    @Test
    void shouldBeDegradedWhenCheckThrows() {
        ServiceWatch watch = new ServiceWatch("h", new ServiceCheck() {
            @Override
            public Result check() {
                throw new IllegalStateException("bug");
            }

            @Override
            public String describe() {
                return "broken";
            }
        });

        watch.runOnce();

        assertThat(watch.current()).isEqualTo(ServiceStatus.DEGRADED);
    }

    @Test
    void shouldBeOkAtOnceWithoutCheck() {
        assertThat(new ServiceWatch("h", new NoServiceCheck()).current()).isEqualTo(ServiceStatus.OK);
    }
}
