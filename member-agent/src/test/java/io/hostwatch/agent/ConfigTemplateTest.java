package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.runtime.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTemplateTest {
    private static final Path DEPLOY_EXAMPLE = Path.of("..", "deploy", "config", "member-agent.properties");

    @Test
    void shouldKeepDeployExampleCompleteAndValid(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // given the example's host key file, made where a test may write
        Path keyFile = dir.resolve("host.key");
        io.hostwatch.auth.KeyFiles.write(
                keyFile, io.hostwatch.auth.KeyFiles.generateMaster("k1").derive("compute-01"));

        // when
        Map<String, String> values =
                ConfigSource.load(DEPLOY_EXAMPLE, Map.of("HOSTWATCH_AUTH_KEY_FILE", keyFile.toString()));
        MemberAgentConfig config = new MemberAgentConfig(values);

        // then
        assertThat(MemberAgentConfig.configDef().names()).containsAll(values.keySet());
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
