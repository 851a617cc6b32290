package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /channels/{name}/object} in-process: idempotency ids across requests (a repeat inside a batch is not applied
 * again and keeps its place in {@code objectIds}; a failed request frees its ids for a retry), the REST publish rate,
 * and reads of leaves and of the empty channel.
 */
class ObjectResourceTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey slowKey = ApiKey.generate("slow");
    private final TestNode t = new TestNode(
            new AppConfig("app", List.of(KeyConfig.fullAccess(key))),
            new AppConfig(
                    "slow",
                    List.of(KeyConfig.fullAccess(slowKey)),
                    List.of(),
                    List.of(),
                    Limits.DEFAULTS.withRates(0, 3, 0)));

    @AfterEach
    void close() {
        t.close();
    }

    private Response publish(ApiKey k, String json) {
        return t.post("/channels/objs/object", json.replace('\'', '"')).basic(k).send();
    }

    private JsonNode read(String path) {
        Response r =
                t.get("/channels/objs/object").query("path", path).basic(key).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void emptyChannel_readsAsAnEmptyRoot() {
        Response r = t.get("/channels/fresh/object").basic(key).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().toString()).isEqualTo("{}");
        Response full = t.get("/channels/fresh/object")
                .query("compact", "false")
                .basic(key)
                .send();
        assertThat(full.json().toString())
                .isEqualTo("{\"objectId\":\"root\",\"map\":{\"semantics\":\"LWW\",\"entries\":{}}}");
    }

    @Test
    void repeatedIds_areAppliedOnce_andKeepTheirPlaceInObjectIds() {
        Response first = publish(key, "{'id':'c','path':'n','counterCreate':{'count':1}}");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String counter = first.json().path("objectIds").get(0).asText();

        Response batch = publish(
                key,
                "[{'objectId':'root','mapSet':{'key':'k','value':{'string':'v'}}},"
                        + "{'id':'c','path':'n','counterCreate':{'count':1}},"
                        + "{'id':'i','path':'n','counterInc':{'number':2}}]");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(201);
        assertThat(batch.json().path("objectIds").toString())
                .isEqualTo("[\"root\",\"" + counter + "\",\"" + counter + "\"]");
        assertThat(read("n").asInt()).as("created once, incremented once").isEqualTo(3);

        Response again = publish(key, "{'id':'i','path':'n','counterInc':{'number':2}}");
        assertThat(again.json().path("messageId").asText())
                .as("answered as the first time")
                .isEqualTo(batch.json().path("messageId").asText());
        assertThat(read("n").asInt()).isEqualTo(3);
    }

    @Test
    void aFailedRequest_freesItsIdsForARetry() {
        Response bad = publish(
                key,
                "[{'id':'x','objectId':'root','mapSet':{'key':'a','value':{'number':1}}},"
                        + "{'objectId':'root','counterInc':{'number':1}}]");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.json().path("error").path("code").asInt()).isEqualTo(92000);
        assertThat(read("").has("a"))
                .as("nothing of a refused batch is applied")
                .isFalse();

        Response retry = publish(key, "{'id':'x','objectId':'root','mapSet':{'key':'a','value':{'number':1}}}");
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(read("a").asInt()).isEqualTo(1);
    }

    @Test
    void operationsCountInTheRestPublishRate() {
        Response ok = publish(
                slowKey, "[{'objectId':'root','mapRemove':{'key':'a'}},{'objectId':'root','mapRemove':{'key':'b'}}]");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        Response over = publish(
                slowKey, "[{'objectId':'root','mapRemove':{'key':'a'}},{'objectId':'root','mapRemove':{'key':'b'}}]");
        assertThat(over.status()).as(over.toString()).isEqualTo(429);
        assertThat(over.json().path("error").path("code").asInt()).isEqualTo(42910);
    }
}
