package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.hostwatch.agent.MemberAgentConfig;
import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.prober.ProberConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each timing profile is a configuration every component accepts: their start-up checks judge the same sums. */
class ProfileTest {
    private static final Endpoints ENDPOINTS =
            new Endpoints("127.0.0.1:9092", "http://127.0.0.1:8080/apis/ccompat/v7", 4);

    @ParameterizedTest
    @ValueSource(strings = {"default", "fast"})
    void shouldBeAcceptedByTheAgentTheDetectorAndTheProberWhenTheProfileIsNamed(String name) {
        // given
        Profile profile = Profile.named(name);

        // then
        assertThatCode(() -> new MemberAgentConfig(with(profile.agent(), Map.of("host.id", "compute-01"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> new DetectorConfig(with(profile.detector(), Map.of())))
                .doesNotThrowAnyException();
        assertThatCode(() -> new ProberConfig(
                        with(profile.prober(), Map.of("prober.id", "prober-1", "storage.root", "/srv/hostwatch"))))
                .doesNotThrowAnyException();
    }

    private static Map<String, String> with(Map<String, String> timing, Map<String, String> identity) {
        Map<String, String> values = new HashMap<>(ENDPOINTS.clusterConfig());
        values.putAll(timing);
        values.putAll(identity);
        return values;
    }
}
