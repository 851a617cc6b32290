package io.herald.server.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** {@code POST /channels/{name}/messages} with the key (Basic), JSON, one message per request. */
final class RestPublisher {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Endpoint endpoint;
    private final HttpClient http;

    RestPublisher(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Publishes; a refusal is a {@link RecordingException#REFUSED} with the server's Ably error. */
    void publish(String channel, ObjectNode message, String where) throws RecordingException {
        byte[] body;
        try {
            body = RecordingFile.JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint.messages(channel))
                .timeout(TIMEOUT)
                .header("Authorization", endpoint.basicAuthorization())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-Ably-Version", "5")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new RecordingException(
                    RecordingException.UNREACHABLE,
                    "cannot reach " + endpoint.rest() + ": connection refused (is the server running?)",
                    e);
        } catch (HttpTimeoutException e) {
            throw new RecordingException(
                    RecordingException.UNREACHABLE, "no answer from " + endpoint.rest() + " within 10 s", e);
        } catch (IOException e) {
            throw new RecordingException(
                    RecordingException.UNREACHABLE, "cannot reach " + endpoint.rest() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingException(RecordingException.UNREACHABLE, "interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new RecordingException(
                    RecordingException.REFUSED,
                    where + ": the server refused the message on " + channel + " with key " + endpoint.keyName() + ": "
                            + errorOf(response));
        }
    }

    private static AblyError errorOf(HttpResponse<String> response) {
        try {
            JsonNode body = RecordingFile.JSON.readTree(response.body());
            if (body != null && body.path("error").isObject()) {
                return AblyError.of(body.get("error"));
            }
        } catch (JsonProcessingException e) {
            // not an Ably error body: the headers below, or the status alone
        }
        int code = response.headers()
                .firstValue("X-Ably-Errorcode")
                .map(c -> {
                    try {
                        return Integer.parseInt(c.trim());
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                })
                .orElse(0);
        String message = response.headers().firstValue("X-Ably-Errormessage").orElse("HTTP " + response.statusCode());
        return new AblyError(code, response.statusCode(), message);
    }
}
