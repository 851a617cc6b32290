package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Presence across two clients of different SDKs (docs/protocol.md §8, §10.1): enter, update with data and leave
 * are seen by the other client as events and in its {@code presence.get()}, and appear in presence history over REST
 * in order with integer actions.
 */
class PresenceIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static PresenceMessage next(LinkedBlockingQueue<PresenceMessage> q) throws InterruptedException {
        PresenceMessage m = q.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a presence event within 10 s").isNotNull();
        return m;
    }

    private static PresenceMessage[] members(Channel ch) throws Exception {
        return ch.presence.get(new Param(io.ably.lib.realtime.Presence.GET_WAITFORSYNC, "true"));
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJsMember_ablyJavaObserver_seesEnterUpdateLeaveAndHistory(WireFormat f) throws Exception {
        String channel = "chat:presence-js-" + f;
        AblyRealtime observer = AblyJava.connect(AblyJava.withKey(server, f.binary(), server.full.keyString()));
        try (NodeScript member = NodeScript.start(
                "presence.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "key",
                        server.full.keyString(),
                        "clientId",
                        "js-alice",
                        "channel",
                        channel))) {
            Channel ch = observer.channels.get(channel);
            LinkedBlockingQueue<PresenceMessage> events = new LinkedBlockingQueue<>();
            ch.presence.subscribe(events::add);
            AblyJava.attach(ch);
            String memberConnection = member.await("ready", NodeScript.STARTUP)
                    .path("connectionId")
                    .asText();

            member.send(Map.of("cmd", "enter", "data", "hello"));
            member.await("ack", WAIT);
            PresenceMessage enter = next(events);
            assertThat(enter.action).isEqualTo(PresenceMessage.Action.enter);
            assertThat(enter.clientId).isEqualTo("js-alice");
            assertThat(enter.connectionId).isEqualTo(memberConnection);
            assertThat(enter.data).isEqualTo("hello");
            assertThat(enter.id).startsWith(memberConnection + ":");
            assertThat(Arrays.stream(members(ch)).map(m -> m.clientId + "=" + m.data))
                    .containsExactly("js-alice=hello");

            member.send(Map.of("cmd", "update", "data", "busy"));
            member.await("ack", WAIT);
            PresenceMessage update = next(events);
            assertThat(update.action).isEqualTo(PresenceMessage.Action.update);
            assertThat(update.data).isEqualTo("busy");
            assertThat(Arrays.stream(members(ch)).map(m -> m.clientId + "=" + m.data))
                    .containsExactly("js-alice=busy");

            member.send(Map.of("cmd", "leave", "data", "bye"));
            member.await("ack", WAIT);
            PresenceMessage leave = next(events);
            assertThat(leave.action).isEqualTo(PresenceMessage.Action.leave);
            assertThat(leave.clientId).isEqualTo("js-alice");
            assertThat(leave.data).isEqualTo("bye");
            assertThat(members(ch)).isEmpty();
            member.send(Map.of("cmd", "end"));
            member.result(WAIT);
        } finally {
            AblyJava.closeAll(observer);
        }
        assertPresenceHistory(channel, "js-alice", f);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJavaMember_ablyJsObserver_seesEnterUpdateLeaveAndHistory(WireFormat f) throws Exception {
        String channel = "chat:presence-java-" + f;
        ClientOptions o = AblyJava.withKey(server, f.binary(), server.full.keyString());
        o.clientId = "java-bob";
        AblyRealtime member = AblyJava.connect(o);
        try (NodeScript observer = NodeScript.start(
                "presence.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "key",
                        server.full.keyString(),
                        "channel",
                        channel))) {
            observer.await("ready", NodeScript.STARTUP);
            Channel ch = member.channels.get(channel);
            AblyJava.attach(ch);

            AblyJava.call("enter", l -> ch.presence.enter("hello", l));
            JsonNode enter = observer.await("presence", WAIT);
            assertThat(enter.path("action").asText()).isEqualTo("enter");
            assertThat(enter.path("clientId").asText()).isEqualTo("java-bob");
            assertThat(enter.path("connectionId").asText()).isEqualTo(member.connection.id);
            assertThat(enter.path("data").asText()).isEqualTo("hello");
            assertThat(membersSeenBy(observer)).containsExactly("java-bob=hello");

            AblyJava.call("update", l -> ch.presence.update("busy", l));
            JsonNode update = observer.await("presence", WAIT);
            assertThat(update.path("action").asText()).isEqualTo("update");
            assertThat(update.path("data").asText()).isEqualTo("busy");
            assertThat(membersSeenBy(observer)).containsExactly("java-bob=busy");

            AblyJava.call("leave", l -> ch.presence.leave("bye", l));
            JsonNode leave = observer.await("presence", WAIT);
            assertThat(leave.path("action").asText()).isEqualTo("leave");
            assertThat(leave.path("data").asText()).isEqualTo("bye");
            assertThat(membersSeenBy(observer)).isEmpty();
            observer.send(Map.of("cmd", "end"));
            observer.result(WAIT);
        } finally {
            AblyJava.closeAll(member);
        }
        assertPresenceHistory(channel, "java-bob", f);
    }

    private static List<String> membersSeenBy(NodeScript observer) {
        observer.send(Map.of("cmd", "get"));
        JsonNode members = observer.await("members", WAIT).path("members");
        return java.util.stream.StreamSupport.stream(members.spliterator(), false)
                .map(m -> m.path("clientId").asText() + "=" + m.path("data").asText())
                .toList();
    }

    /** Presence history, raw (actions as ints, docs/protocol.md §9.1) and through ably-java REST, oldest first: enter, update, leave. */
    private static void assertPresenceHistory(String channel, String clientId, WireFormat f) throws Exception {
        Http.Response r = Http.get(
                server.uri("/channels/" + channel + "/presence/history?direction=forwards"),
                "Authorization",
                Http.basic(server.full),
                "Accept",
                "application/json");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode items = r.json();
        assertThat(items.size()).as("%s", r).isEqualTo(3);
        int[] actions = {2, 4, 3};
        String[] data = {"hello", "busy", "bye"};
        for (int i = 0; i < 3; i++) {
            assertThat(items.get(i).path("action").isInt())
                    .as("integer action: %s", items.get(i))
                    .isTrue();
            assertThat(items.get(i).path("action").asInt())
                    .as("%s", items.get(i))
                    .isEqualTo(actions[i]);
            assertThat(items.get(i).path("clientId").asText()).isEqualTo(clientId);
            assertThat(items.get(i).path("data").asText()).isEqualTo(data[i]);
        }
        AblyRest rest = AblyJava.rest(AblyJava.withKey(server, f.binary(), server.full.keyString()));
        PresenceMessage[] viaSdk = rest.channels
                .get(channel)
                .presence
                .history(new Param[] {new Param("direction", "backwards")})
                .items();
        assertThat(Arrays.stream(viaSdk).map(m -> m.action + ":" + m.data))
                .containsExactly("leave:bye", "update:busy", "enter:hello");
    }
}
