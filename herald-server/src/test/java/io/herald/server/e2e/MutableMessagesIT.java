package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutable messages with ably-js 2.26 (docs/protocol.md §7.8): realtime update, append and delete reach a subscriber
 * with the original serial and a newer version serial; REST getMessage, getMessageVersions and updateMessage; history
 * shows the latest version; the refusals (no capability 40160, unknown serial 40400, namespace without
 * mutableMessages 93002), over JSON and msgpack.
 * Each case runs on the in-memory engine and on the Redis engine (a redis-server of its own).
 */
class MutableMessagesIT {
    @RegisterExtension
    static final TestServer memory =
            TestServer.perClass("    namespaces:\n      - id: mutable\n        mutableMessages: true\n");

    @RegisterExtension
    static final TestServer redis =
            TestServer.perClassOnRedis("    namespaces:\n      - id: mutable\n        mutableMessages: true\n");

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    private static long seq(String serial) {
        return Long.parseLong(serial.substring(serial.lastIndexOf('-') + 1, serial.lastIndexOf(':')));
    }

    private static List<String> texts(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJs_updateAppendDelete_deliveredStoredAndRefusedAsAblyDoes(TestServer server, WireFormat f)
            throws Exception {
        JsonNode r = NodeScript.run(
                "mutable.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "key", server.full.keyString(),
                        "limitedKey", server.limited.keyString(),
                        "channel", "mutable:chat-" + f,
                        "plainChannel", "plain-" + f),
                Duration.ofSeconds(50));
        String serial = r.path("serial").asText();
        JsonNode seen = r.path("seen");
        assertThat(texts(seen, "action"))
                .containsExactly(
                        "message.create", "message.update", "message.append", "message.update", "message.delete");
        assertThat(texts(seen, "serial")).containsOnly(serial);
        assertThat(texts(seen, "data").subList(0, 3)).containsExactly("hello", "hello, edited", "!");
        assertThat(seen.get(2).path("name").asText())
                .as("a live append keeps the name")
                .isEqualTo("greeting");
        long previous = seq(serial);
        for (int i = 1; i < seen.size(); i++) {
            long v = seq(seen.get(i).path("versionSerial").asText());
            assertThat(v).isGreaterThan(previous);
            previous = v;
        }
        assertThat(seen.get(1).path("description").asText()).isEqualTo("typo");
        assertThat(seen.get(1).path("versionClientId").asText()).isEqualTo("writer");
        assertThat(r.path("updated").path("versionSerial").asText())
                .isEqualTo(seen.get(1).path("versionSerial").asText());
        assertThat(r.path("appended").path("versionSerial").asText())
                .isEqualTo(seen.get(2).path("versionSerial").asText());
        assertThat(r.path("restUpdate").path("versionSerial").asText())
                .isEqualTo(seen.get(3).path("versionSerial").asText());
        assertThat(seen.get(3).path("name").asText()).isEqualTo("renamed");
        assertThat(seen.get(3).path("data").asText()).isEqualTo("hello, edited!");

        assertThat(r.path("latest").path("data").asText()).isEqualTo("hello, edited!");
        assertThat(r.path("latest").path("action").asText()).isEqualTo("message.update");
        assertThat(texts(r.path("versions"), "data")).containsExactly("hello", "hello, edited", "hello, edited!");
        assertThat(r.path("history")).hasSize(1);
        assertThat(r.path("history").get(0).path("action").asText()).isEqualTo("message.delete");
        assertThat(r.path("history").get(0).path("serial").asText()).isEqualTo(serial);

        assertThat(r.path("noCapability").path("code").asInt()).isEqualTo(40160);
        assertThat(r.path("unknown").path("code").asInt()).isEqualTo(40400);
        assertThat(r.path("unknown").path("statusCode").asInt()).isEqualTo(404);
        assertThat(r.path("notMutable").path("code").asInt()).isEqualTo(93002);
    }
}
