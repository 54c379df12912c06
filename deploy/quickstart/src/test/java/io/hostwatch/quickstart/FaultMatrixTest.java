package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.hostwatch.agent.MemberAgentConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault matrix's hosts with agent settings of their own start: a typo would only show minutes into the IT. */
class FaultMatrixTest {
    private static final Endpoints ENDPOINTS =
            new Endpoints("127.0.0.1:9092", "http://127.0.0.1:8080/apis/ccompat/v7", 4);

    @Test
    void shouldBeAcceptedByTheAgentWhenAHostHasSettingsOfItsOwn() {
        // given
        var special = FaultMatrix.HOSTS.stream()
                .filter(h -> !h.agentOverrides().isEmpty())
                .toList();

        // then
        assertThat(special).extracting(HostSpec::id).containsExactly("compute-02", "compute-08");
        special.forEach(host -> {
            Map<String, String> values = new HashMap<>(ENDPOINTS.clusterConfig());
            values.putAll(Profile.DEFAULT.agent());
            values.put("host.id", host.id());
            values.put("isolation.addresses", "10.0.0.1");
            values.putAll(host.agentOverrides());
            assertThatCode(() -> new MemberAgentConfig(values)).as(host.id()).doesNotThrowAnyException();
        });
    }
}
