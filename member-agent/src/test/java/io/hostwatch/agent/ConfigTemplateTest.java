package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.runtime.config.ConfigSource;
import io.hostwatch.runtime.config.ConfigTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTemplateTest {
    private static final Path DEPLOY_EXAMPLE = Path.of("..", "deploy", "config", "member-agent.properties");

    @Test
    void shouldDocumentEveryKeyAndLoadOnceRequiredKeysAreFilledIn(@TempDir Path dir) throws Exception {
        // given
        String template = ConfigTemplate.render(MemberAgentApp.TEMPLATE_HEADER, MemberAgentConfig.configDef());
        Path file = dir.resolve("agent.properties");
        Files.writeString(
                file,
                template.replace("kafka.bootstrap.servers=\n", "kafka.bootstrap.servers=k:9092\n")
                        .replace("schema.registry.url=\n", "schema.registry.url=http://r:8081\n"));

        // then
        for (String key : MemberAgentConfig.configDef().names()) {
            assertThat(template).containsPattern("(?m)^#?" + key.replace(".", "\\.") + "=");
        }
        assertThat(new MemberAgentConfig(ConfigSource.load(file, Map.of()))
                        .heartbeatInterval()
                        .toMillis())
                .isEqualTo(1000);
    }

    @Test
    void shouldKeepDeployExampleCompleteAndValid() {
        // when
        Map<String, String> values = ConfigSource.load(DEPLOY_EXAMPLE, Map.of());
        MemberAgentConfig config = new MemberAgentConfig(values);

        // then
        assertThat(MemberAgentConfig.unknownKeys(values)).isEmpty();
        String text = readQuietly(DEPLOY_EXAMPLE);
        for (String key : MemberAgentConfig.configDef().names()) {
            assertThat(text)
                    .as("deploy example documents " + key)
                    .containsPattern("(?m)^#?" + key.replace(".", "\\.") + "=");
        }
        assertThat(config.serviceCheck()).isEqualTo(MemberAgentConfig.ServiceCheckKind.COMMAND);
    }

    private static String readQuietly(Path path) {
        try {
            return Files.readString(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
