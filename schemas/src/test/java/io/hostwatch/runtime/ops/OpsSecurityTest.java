package io.hostwatch.runtime.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsSecurityTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private static final OpsSecurity SECURED = new OpsSecurity(Optional.of(TOKEN), Optional.empty());

    @Test
    void shouldLetEverythingPassWithoutToken() {
        assertThat(OpsSecurity.NONE.authorized(Optional.empty(), Optional.empty()))
                .isTrue();
    }

    @Test
    void shouldAcceptTheBearerTokenOrTheConsoleCookieOnly() {
        assertThat(SECURED.authorized(Optional.of("Bearer " + TOKEN), Optional.empty()))
                .isTrue();
        assertThat(SECURED.authorized(Optional.of("bearer " + TOKEN), Optional.empty()))
                .isTrue();
        assertThat(SECURED.authorized(Optional.empty(), Optional.of("a=b; hostwatch_token=" + TOKEN)))
                .isTrue();
        assertThat(SECURED.authorized(Optional.empty(), Optional.empty())).isFalse();
        assertThat(SECURED.authorized(Optional.of("Bearer " + TOKEN + "x"), Optional.empty()))
                .isFalse();
        assertThat(SECURED.authorized(Optional.of("Bearer " + TOKEN.substring(1)), Optional.empty()))
                .isFalse();
        assertThat(SECURED.authorized(Optional.of("Basic " + TOKEN), Optional.empty()))
                .isFalse();
        assertThat(SECURED.authorized(Optional.empty(), Optional.of("other_token=" + TOKEN)))
                .isFalse();
    }

    @Test
    void shouldAnswer401WithChallengeButServeHealthWhenTokenIsSet() throws Exception {
        // given
        try (OpsServer server = OpsServer.start(
                "127.0.0.1",
                0,
                () -> new Health(true, "ok"),
                new PrometheusRegistry(),
                Map.of("/page", exchange -> OpsServer.respond(exchange, 200, "text/plain", "page")),
                SECURED,
                Set.of("/page"))) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();

            // when
            HttpResponse<String> metrics = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // then
            assertThat(metrics.statusCode()).isEqualTo(401);
            assertThat(metrics.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"hostwatch\"");
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                            .header("Authorization", "Bearer " + TOKEN)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/page"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseAShortTokenFileNamingTheKey(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("token"), "short\n");

        // then
        assertThatThrownBy(() -> OpsSecurity.from(config(Map.of(OpsSecurity.TOKEN_FILE_CONFIG, file.toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(OpsSecurity.TOKEN_FILE_CONFIG);
    }

    @Test
    void shouldReadTheTokensFirstLine(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");

        // when
        OpsSecurity security = OpsSecurity.from(config(Map.of(OpsSecurity.TOKEN_FILE_CONFIG, file.toString())));

        // then
        assertThat(security.token()).hasValue(TOKEN);
        assertThat(security.scheme()).isEqualTo("http");
    }

    @Test
    void shouldRefuseAnUnreadableKeystoreNamingTheKey(@TempDir Path dir) throws Exception {
        // given
        Path file = Files.writeString(dir.resolve("ops.p12"), "not a key store");

        // then
        assertThatThrownBy(() -> OpsSecurity.from(config(Map.of(
                        OpsSecurity.KEYSTORE_LOCATION_CONFIG,
                        file.toString(),
                        OpsSecurity.KEYSTORE_PASSWORD_CONFIG,
                        "x"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(OpsSecurity.KEYSTORE_LOCATION_CONFIG);
    }

    private static AbstractConfig config(Map<String, String> values) {
        return new AbstractConfig(OpsSecurity.define(new ConfigDef()), values);
    }
}
