package io.hostwatch.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a component's {@code /health} to answer 200, failing early if its process died. */
final class HealthProbe {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private HealthProbe() {}

    static boolean isUp(String baseUrl) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The component's {@code /metrics} text, empty if it does not answer. */
    static String metrics(String baseUrl) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void awaitUp(String name, String baseUrl, BooleanSupplier alive, Duration timeout, String logHint)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isUp(baseUrl)) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(name + " exited during start-up; see " + logHint);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        name + " not healthy at " + baseUrl + "/health within " + timeout + "; see " + logHint);
            }
            Thread.sleep(200);
        }
    }
}
