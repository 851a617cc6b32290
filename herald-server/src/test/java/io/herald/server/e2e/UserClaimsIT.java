package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.AblyJwt;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Clock;
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
 * JWT user claims (docs/protocol.md §4.9) with ably-js and {@code @ably/chat} 1.4.0, unchanged: a JWT's
 * {@code ably.channel.<channel>}, {@code ably.channel.<ns>:*} and {@code ably.room.<room>} claims reach subscribers in
 * {@code extras.userClaim} of what its holder publishes (realtime, REST, presence; the most specific claim wins), and
 * @ably/chat shows them as {@code userClaim} on messages (live, edited and in the Chat API's history), raw message
 * reactions, room reactions, typing and presence; a client's own {@code extras.userClaim} is dropped. On the in-memory
 * engine and on Redis in both wire formats.
 */
class UserClaimsIT {
    @RegisterExtension
    static final TestServer memory = TestServer.perClass();

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis("");

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void claimsReachSubscribersAndForgedOnesDoNot(TestServer server, WireFormat f) throws Exception {
        String room = "claims-room-" + server.engine() + "-" + f;
        String ns = "claims-" + server.engine() + "-" + f;
        String modJwt = AblyJwt.mint(
                server.full,
                "mod",
                null,
                Duration.ofHours(1),
                null,
                Map.of(
                        "ably.channel." + ns + ":exact",
                        "exact-claim",
                        "ably.channel." + ns + ":*",
                        "ns-claim",
                        "ably.room." + room,
                        "moderator"),
                Clock.systemUTC());
        JsonNode r = NodeScript.run(
                "userclaims.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "key",
                        server.full.keyString(),
                        "room",
                        room,
                        "ns",
                        ns,
                        "modJwt",
                        modJwt),
                Duration.ofSeconds(70));

        // pub/sub: the exact channel's claim beats the namespace's; REST publishes carry it too; forged ones go
        assertThat(lines(r.path("seen"), "name", "userClaim"))
                .containsExactlyInAnyOrder(
                        "m-exact=exact-claim", "m-other=ns-claim", "u-forged=null", "m-rest=ns-claim");
        assertThat(lines(r.path("presence"), "clientId", "userClaim")).containsExactly("mod=exact-claim");
        assertThat(lines(r.path("history"), "name", "userClaim"))
                .containsExactly("m-exact=exact-claim", "u-forged=null");

        // chat: the room's claim on what the moderator does, nothing on Ursula's own message
        JsonNode chat = r.path("chat");
        assertThat(lines(chat.path("messages"), "text", "userClaim"))
                .containsExactly("from mod=moderator", "from ursula=null", "edited by mod=moderator");
        assertThat(lines(chat.path("raw"), "clientId", "userClaim")).containsExactly("mod=moderator");
        assertThat(lines(chat.path("roomReactions"), "name", "userClaim")).containsExactly("wave=moderator");
        assertThat(chat.path("typing").get(0).path("userClaim").asText()).isEqualTo("moderator");
        assertThat(lines(chat.path("presence"), "clientId", "userClaim")).contains("mod=moderator");
        assertThat(lines(r.path("chatHistory"), "text", "userClaim"))
                .containsExactly("from mod=moderator", "edited by mod=moderator");
        assertThat(r.path("one").path("userClaim").asText()).isEqualTo("moderator");
    }

    private static List<String> lines(JsonNode items, String key, String value) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : items) {
            JsonNode v = i.get(value);
            out.add(i.path(key).asText() + "=" + (v == null || v.isNull() ? "null" : v.asText()));
        }
        return out;
    }
}
