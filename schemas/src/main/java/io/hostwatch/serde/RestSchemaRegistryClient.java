package io.hostwatch.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for any server speaking the Confluent Schema Registry REST API (Confluent, Apicurio's ccompat API,
 * Karapace, Redpanda). Hand-written because Confluent's client is not on Maven Central. Connection failures
 * and 5xx answers are retried with exponential backoff; 4xx answers fail at once with the registry's message.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int SCHEMA_NOT_FOUND = 40403;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http;
    private final String baseUrl;
    private final Duration requestTimeout;
    private final int attempts;
    private final Duration initialBackoff;

    /**
     * @param baseUrl        e.g. {@code http://127.0.0.1:8081} or {@code http://host:8080/apis/ccompat/v7}
     * @param attempts       tries per call for retryable failures, >= 1
     * @param initialBackoff wait before the second try; doubles each time
     */
    public RestSchemaRegistryClient(String baseUrl, Duration requestTimeout, int attempts, Duration initialBackoff) {
        URI parsed = URI.create(baseUrl);
        if (parsed.getScheme() == null || !parsed.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("schema registry URL must be http(s)://..., was '" + baseUrl + "'");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.requestTimeout = requestTimeout;
        this.attempts = Math.max(1, attempts);
        this.initialBackoff = initialBackoff;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    public RestSchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(5), 5, Duration.ofMillis(200));
    }

    @Override
    public int register(String subject, Schema schema) {
        String body;
        try {
            body = json.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("Cannot encode schema for subject " + subject, e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        baseUrl + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions"))
                .timeout(requestTimeout)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        JsonNode answer = call(request, "register schema under subject " + subject, -1);
        return answer.path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/schemas/ids/" + id))
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build();
        JsonNode answer = call(request, "fetch schema id " + id, id);
        try {
            return new Schema.Parser().parse(answer.path("schema").asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("Registry returned an unparsable schema for id " + id, e);
        }
    }

    private JsonNode call(HttpRequest request, String what, int schemaId) {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            String failure;
            Throwable cause = null;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return json.readTree(response.body());
                }
                ErrorBody error = ErrorBody.parse(json, response.body());
                if (status == 404 && error.code() == SCHEMA_NOT_FOUND && schemaId >= 0) {
                    throw new SchemaNotFoundException(schemaId);
                }
                failure = "HTTP " + status + (error.code() > 0 ? " error_code " + error.code() : "") + ": "
                        + error.message();
                if (status / 100 == 4) {
                    throw new SchemaRegistryException(
                            "Schema registry at " + baseUrl + " refused to " + what + ": " + failure);
                }
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while trying to " + what, e);
            }
            if (attempt >= attempts) {
                throw new SchemaRegistryException(
                        "Schema registry at " + baseUrl + " unavailable: could not " + what + " after " + attempts
                                + " attempts; last failure: " + failure,
                        cause);
            }
            LOG.warn(
                    "Schema registry call to {} failed ({}), retry {} of {} in {} ms",
                    what,
                    failure,
                    attempt,
                    attempts - 1,
                    backoff.toMillis());
            sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while backing off", e);
        }
    }

    private record ErrorBody(int code, String message) {
        static ErrorBody parse(ObjectMapper json, String body) {
            try {
                JsonNode node = json.readTree(body);
                return new ErrorBody(
                        node.path("error_code").asInt(-1), node.path("message").asText(body));
            } catch (IOException | RuntimeException e) {
                return new ErrorBody(-1, body);
            }
        }
    }
}
