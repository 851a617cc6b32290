package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batch publish ({@code POST /messages}) and batch presence ({@code GET /presence}): one result per channel. */
class BatchResourceTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey onlyA = ApiKey.generate("app");
    private final TestNode t = new TestNode(new AppConfig(
            "app",
            List.of(
                    KeyConfig.fullAccess(key),
                    new KeyConfig(onlyA, Capability.parse("{\"a\":[\"publish\",\"subscribe\"]}"), false))));

    @AfterEach
    void close() {
        t.close();
    }

    private JsonNode history(String channel) {
        return t.get("/channels/" + channel + "/messages").basic(key).send().json();
    }

    @Test
    void publish_oneSpec_toSeveralChannels_answersOneBatchResult() {
        Response r = t.post("/messages", "{\"channels\":[\"a\",\"b\"],\"messages\":{\"name\":\"n\",\"data\":\"x\"}}")
                .basic(key)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("successCount").asInt()).isEqualTo(2);
        assertThat(r.json().get("failureCount").asInt()).isZero();
        assertThat(r.json().get("results").get(0).get("channel").asText()).isEqualTo("a");
        assertThat(r.json().get("results").get(1).get("messageId").asText()).isNotBlank();
        assertThat(r.json().get("results").get(1).get("serials")).hasSize(1);
        assertThat(history("a").get(0).get("data").asText()).isEqualTo("x");
        assertThat(history("b").get(0).get("data").asText()).isEqualTo("x");
    }

    @Test
    void publish_protocolVersion2_answersTheFirstBatchApi_flatResults_or40020WithBatchResponse() {
        Response r = t.post("/messages", "{\"channels\":[\"a\",\"b\"],\"messages\":{\"data\":\"x\"}}")
                .basic(key)
                .header("x-ably-version", "2")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json()).hasSize(2);
        assertThat(r.json().at("/1/channel").asText()).isEqualTo("b");
        assertThat(r.json().at("/1/messageId").asText()).isNotBlank();

        Response partial = t.post("/messages", "{\"channels\":[\"a\",\"b\"],\"messages\":{\"data\":\"y\"}}")
                .basic(onlyA)
                .header("x-ably-version", "2")
                .send();
        assertThat(partial.status()).as(partial.toString()).isEqualTo(400);
        assertThat(partial.header("x-ably-errorcode")).isEqualTo("40020");
        assertThat(partial.json().at("/error/code").asInt()).isEqualTo(40020);
        assertThat(partial.json().at("/batchResponse/0/channel").asText()).isEqualTo("a");
        assertThat(partial.json().at("/batchResponse/1/error/code").asInt()).isEqualTo(40160);
        assertThat(history("a")).hasSize(2);

        Response specs = t.post(
                        "/messages",
                        "[{\"channels\":\"a\",\"messages\":{\"data\":1}},{\"channels\":\"b\",\"messages\":{\"data\":2}}]")
                .basic(key)
                .header("x-ably-version", "1")
                .send();
        assertThat(specs.status()).as(specs.toString()).isEqualTo(201);
        assertThat(specs.json()).as("every spec's results in one flat array").hasSize(2);
        assertThat(specs.json().at("/1/channel").asText()).isEqualTo("b");
        assertThat(BatchResource.legacyVersion("3")).isFalse();
        assertThat(BatchResource.legacyVersion("x")).isFalse();
        assertThat(BatchResource.legacyVersion(null)).isFalse();
    }

    @Test
    void publish_arrayOfSpecs_answersAnArray_andFailuresSitBesideSuccesses() {
        Response r = t.post(
                        "/messages",
                        "[{\"channels\":\"a\",\"messages\":[{\"data\":1},{\"data\":2}]},"
                                + "{\"channels\":[\"a\",\"b\",\":bad\"],\"messages\":{\"data\":3}}]")
                .basic(onlyA)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json().get(0).get("successCount").asInt()).isEqualTo(1);
        assertThat(r.json().get(0).at("/results/0/serials")).hasSize(2);
        JsonNode second = r.json().get(1);
        assertThat(second.get("successCount").asInt()).isEqualTo(1);
        assertThat(second.get("failureCount").asInt()).isEqualTo(2);
        assertThat(second.at("/results/1/channel").asText()).isEqualTo("b");
        assertThat(second.at("/results/1/error/code").asInt()).isEqualTo(40160);
        assertThat(second.at("/results/2/error/code").asInt()).isEqualTo(40010);
        assertThat(history("a")).hasSize(3);
        assertThat(history("b")).isEmpty();
    }

    @Test
    void publish_perChannelPublishFailure_isReportedInItsResult() {
        Response r = t.post("/messages", "{\"channels\":[\"a\"],\"messages\":[]}")
                .basic(key)
                .send();
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("failureCount").asInt()).isEqualTo(1);
        assertThat(r.json().at("/results/0/error/code").asInt()).isEqualTo(40001);
        Response big = t.post(
                        "/messages", "{\"channels\":[\"a\"],\"messages\":{\"data\":\"" + "x".repeat(70_000) + "\"}}")
                .basic(key)
                .send();
        assertThat(big.json().at("/results/0/error/code").asInt()).isEqualTo(40009);
    }

    @Test
    void publish_malformedBodies_areRefusedWhole() {
        Response scalar = t.post("/messages", "\"x\"").basic(key).send();
        assertThat(scalar.status()).isEqualTo(400);
        assertThat(scalar.errorCode()).isEqualTo(40001);
        Response noMessages =
                t.post("/messages", "{\"channels\":[\"a\"]}").basic(key).send();
        assertThat(noMessages.errorCode()).isEqualTo(40001);
        assertThat(noMessages.errorMessage()).contains("needs channels and messages");
        Response numberChannels = t.post("/messages", "{\"channels\":5,\"messages\":{}}")
                .basic(key)
                .send();
        assertThat(numberChannels.errorCode()).isEqualTo(40001);
        Response none = t.post("/messages", "{\"channels\":[],\"messages\":{}}")
                .basic(key)
                .send();
        assertThat(none.errorCode()).isEqualTo(40003);
        String many = IntStream.range(0, 101).mapToObj(i -> "\"c" + i + "\"").collect(Collectors.joining(","));
        Response tooMany = t.post("/messages", "{\"channels\":[" + many + "],\"messages\":{}}")
                .basic(key)
                .send();
        assertThat(tooMany.errorCode()).isEqualTo(40003);
        assertThat(tooMany.errorMessage()).contains("1 to 100 channels");
        Response missing = t.post("/messages", null).basic(key).send();
        assertThat(missing.errorCode()).isEqualTo(40001);
        assertThat(missing.errorMessage()).isEqualTo("Request body is missing");
        assertThat(t.post("/messages", "{}").send().errorCode()).isEqualTo(40101);
    }

    @Test
    void presence_ofSeveralChannels_withPerChannelRefusals() {
        t.seedPresence("app", "a", "c1", "alice", "bob");
        Response r = t.get("/presence").query("channels", "a,b,:x").basic(onlyA).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("successCount").asInt()).isEqualTo(1);
        assertThat(r.json().get("failureCount").asInt()).isEqualTo(2);
        assertThat(r.json().at("/results/0/presence")).hasSize(2);
        assertThat(r.json().at("/results/0/presence/0/clientId").asText()).isIn("alice", "bob");
        assertThat(r.json().at("/results/1/error/code").asInt()).isEqualTo(40160);
        assertThat(r.json().at("/results/2/error/code").asInt()).isEqualTo(40010);

        Response empty = t.get("/presence").query("channels", "b").basic(key).send();
        assertThat(empty.json().at("/results/0/presence")).isEmpty();

        Response noParam = t.get("/presence").basic(key).send();
        assertThat(noParam.status()).isEqualTo(400);
        assertThat(noParam.errorCode()).isEqualTo(40003);
        assertThat(noParam.errorMessage()).isEqualTo("channels parameter is required");
        String many = IntStream.range(0, 101).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
        assertThat(t.get("/presence").query("channels", many).basic(key).send().errorMessage())
                .isEqualTo("At most 100 channels");
    }
}
