package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.Message;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.AuthUrlServer;
import io.herald.server.e2e.support.Json;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tutorial's flow (docs/protocol.md §13): an app server signs TokenRequests with herald-auth at an authUrl; a client
 * configured with only that authUrl exchanges one for a token, connects, attaches and publishes; another client
 * subscribed to the channel receives the message with name, data, clientId, id, connectionId and timestamp.
 */
class TutorialFlowIT {
    private static final String CAPABILITY = "{\"tutorial:*\":[\"presence\",\"publish\",\"subscribe\"]}";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static AuthUrlServer app;

    @BeforeAll
    static void start() {
        app = new AuthUrlServer(server.full, "tutorial-user", CAPABILITY, Duration.ofMinutes(60));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** An ably-java subscriber (key auth) attached to the channel; messages arrive in the returned queue. */
    private static LinkedBlockingQueue<Message> subscribe(AblyRealtime rt, String channelName) throws Exception {
        LinkedBlockingQueue<Message> q = new LinkedBlockingQueue<>();
        Channel ch = rt.channels.get(channelName);
        ch.subscribe(q::add);
        AblyJava.attach(ch);
        return q;
    }

    private static Message poll(LinkedBlockingQueue<Message> q) throws InterruptedException {
        Message m = q.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a message within 10 s").isNotNull();
        return m;
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_authUrlClientPublishes_subscriberReceivesMessage(WireFormat f) throws Exception {
        String channel = "tutorial:java-" + f;
        AblyRealtime subscriber = AblyJava.connect(AblyJava.withKey(server, f.binary(), server.full.keyString()));
        AblyRealtime publisher = null;
        try {
            LinkedBlockingQueue<Message> q = subscribe(subscriber, channel);
            int callsBefore = app.calls().size();
            ClientOptions o = AblyJava.options(server, f.binary());
            o.authUrl = app.url();
            publisher = AblyJava.connect(o);
            assertThat(app.calls().size()).as("the authUrl was called").isGreaterThan(callsBefore);
            assertThat(publisher.auth.clientId).isEqualTo("tutorial-user");
            Channel ch = publisher.channels.get(channel);
            AblyJava.attach(ch);
            long before = System.currentTimeMillis();
            AblyJava.publish(ch, "greeting", "hello from the tutorial");
            long after = System.currentTimeMillis();

            Message m = poll(q);
            assertThat(m.name).isEqualTo("greeting");
            assertThat(m.data).isEqualTo("hello from the tutorial");
            assertThat(m.clientId).isEqualTo("tutorial-user");
            assertThat(m.connectionId).isEqualTo(publisher.connection.id);
            assertThat(m.id).isNotEmpty().startsWith(publisher.connection.id + ":");
            assertThat(m.timestamp).isBetween(before - 1000, after + 1000);
            assertThat(q.poll(0, TimeUnit.SECONDS)).as("exactly one message").isNull();
        } finally {
            AblyJava.closeAll(publisher, subscriber);
        }
    }

    /**
     * Binary data crosses formats (docs/protocol.md §7.3, §1.4): bytes published over msgpack reach a JSON subscriber
     * (as base64 with an encoding the SDK decodes) and the other way round; both SDKs hand the application the bytes.
     */
    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_binaryDataToOtherFormat_subscriberGetsSameBytes(WireFormat publisherFormat) throws Exception {
        String channel = "tutorial:binary-" + publisherFormat;
        boolean subscriberBinary = !publisherFormat.binary();
        AblyRealtime subscriber = AblyJava.connect(AblyJava.withKey(server, subscriberBinary, server.full.keyString()));
        AblyRealtime publisher =
                AblyJava.connect(AblyJava.withKey(server, publisherFormat.binary(), server.full.keyString()));
        try {
            LinkedBlockingQueue<Message> q = subscribe(subscriber, channel);
            Channel ch = publisher.channels.get(channel);
            AblyJava.attach(ch);
            byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 'h', 'i'};
            AblyJava.publish(ch, "bytes", bytes);
            AblyJava.publish(ch, "text", "plain text");
            Message m = poll(q);
            assertThat(m.name).isEqualTo("bytes");
            assertThat(m.data).isInstanceOf(byte[].class);
            assertThat((byte[]) m.data).containsExactly(bytes);
            Message t = poll(q);
            assertThat(t.data).isEqualTo("plain text");
        } finally {
            AblyJava.closeAll(publisher, subscriber);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_authUrlClientPublishes_jsAndJavaSubscribersReceiveMessages(WireFormat f) throws Exception {
        String channel = "tutorial:js-" + f;
        AblyRealtime javaSubscriber = AblyJava.connect(AblyJava.withKey(server, f.binary(), server.full.keyString()));
        try {
            LinkedBlockingQueue<Message> q = subscribe(javaSubscriber, channel);
            JsonNode r = NodeScript.run(
                    "tutorial.js",
                    Map.of(
                            "port",
                            server.port(),
                            "binary",
                            f.binary(),
                            "authUrl",
                            app.url(),
                            "key",
                            server.full.keyString(),
                            "channel",
                            channel,
                            "messages",
                            List.of(
                                    Map.of("name", "greeting", "data", "hello from ably-js"),
                                    Map.of("name", "object", "data", Map.of("text", "hi", "n", 1)))),
                    Duration.ofSeconds(40));
            JsonNode pub = r.path("publisher");
            String connectionId = pub.path("connectionId").asText();
            assertThat(pub.path("clientId").asText()).isEqualTo("tutorial-user");
            assertThat(pub.path("tokenDetails").path("capability").asText()).isEqualTo(CAPABILITY);
            long before = r.path("before").asLong();
            long after = r.path("after").asLong();

            JsonNode first = r.path("received").get(0);
            assertThat(first.path("name").asText()).isEqualTo("greeting");
            assertThat(first.path("data").asText()).isEqualTo("hello from ably-js");
            assertThat(first.path("clientId").asText()).isEqualTo("tutorial-user");
            assertThat(first.path("connectionId").asText()).isEqualTo(connectionId);
            assertThat(first.path("id").asText()).startsWith(connectionId + ":");
            assertThat(first.path("timestamp").asLong()).isBetween(before - 1000, after + 1000);
            JsonNode second = r.path("received").get(1);
            assertThat(second.path("name").asText()).isEqualTo("object");
            assertThat(second.path("data")).isEqualTo(Json.parse("{\"text\":\"hi\",\"n\":1}"));

            Message m1 = poll(q);
            assertThat(m1.name).isEqualTo("greeting");
            assertThat(m1.data).isEqualTo("hello from ably-js");
            assertThat(m1.clientId).isEqualTo("tutorial-user");
            assertThat(m1.connectionId).isEqualTo(connectionId);
            assertThat(m1.id).isEqualTo(first.path("id").asText());
            assertThat(m1.timestamp).isEqualTo(first.path("timestamp").asLong());
            Message m2 = poll(q);
            assertThat(m2.name).isEqualTo("object");
            assertThat(m2.data).isInstanceOf(JsonElement.class);
            assertThat(Json.parse(m2.data.toString())).isEqualTo(Json.parse("{\"text\":\"hi\",\"n\":1}"));
        } finally {
            AblyJava.closeAll(javaSubscriber);
        }
    }
}
