package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ChannelStateListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ClientOptions;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.SequencePublisher;
import io.herald.server.e2e.support.TcpProxy;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resume after a dropped socket (docs/protocol.md §3.4): a TCP proxy between subscriber and server is cut (reset, no
 * close frame) and holds the reconnection while another client publishes {@value #MISSED} more messages; the subscriber reconnects with {@code resume}, keeps its
 * connectionId, its channel stays continuous (no ATTACHED/UPDATE with resumed=false) and it receives every message
 * exactly once, in order.
 */
class ResumeIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PROGRESS_AT = 10;
    private static final int MORE_AFTER_RESUME = 20;
    /** Messages published while the subscriber has no socket. */
    private static final int MISSED = 15;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static List<String> expected(int count) {
        List<String> l = new ArrayList<>(
                IntStream.range(0, count).mapToObj(Integer::toString).toList());
        l.add("end");
        return l;
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_socketDropped_resumesSameConnectionWithoutLoss(WireFormat f) throws Exception {
        String channelName = "chat:resume-java-" + f;
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            ClientOptions o = AblyJava.withKey(server, f.binary(), server.full.keyString());
            o.port = proxy.port();
            AblyRealtime rt = AblyJava.connect(o);
            try {
                String connectionId = rt.connection.id;
                Channel ch = rt.channels.get(channelName);
                List<String> got = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> progress = new CompletableFuture<>();
                CompletableFuture<Void> end = new CompletableFuture<>();
                ch.subscribe(m -> {
                    got.add(String.valueOf(m.data));
                    if (String.valueOf(PROGRESS_AT).equals(m.data)) {
                        progress.complete(null);
                    }
                    if ("end".equals(m.data)) {
                        end.complete(null);
                    }
                });
                AblyJava.attach(ch);
                List<ChannelStateListener.ChannelStateChange> channelChanges = new CopyOnWriteArrayList<>();
                ch.on(channelChanges::add);
                CompletableFuture<Void> disconnected = new CompletableFuture<>();
                CompletableFuture<Void> reconnected = new CompletableFuture<>();
                rt.connection.on(change -> {
                    if (change.current == ConnectionState.disconnected) {
                        disconnected.complete(null);
                    } else if (change.current == ConnectionState.connected && disconnected.isDone()) {
                        reconnected.complete(null);
                    }
                });

                try (SequencePublisher pub = new SequencePublisher(server, channelName, 10)) {
                    AblyJava.get(progress, WAIT, "message " + PROGRESS_AT);
                    proxy.cutAndHold();
                    AblyJava.get(disconnected, WAIT, "DISCONNECTED after the cut");
                    pub.awaitPublished(pub.published() + MISSED, WAIT);
                    proxy.release();
                    AblyJava.get(reconnected, Duration.ofSeconds(30), "CONNECTED again");
                    int total = pub.finish(MORE_AFTER_RESUME);
                    AblyJava.get(end, WAIT, "the end message");
                    assertThat(got).as("every message exactly once, in order").isEqualTo(expected(total));
                }
                assertThat(rt.connection.id).as("resumed: same connectionId").isEqualTo(connectionId);
                assertThat(proxy.accepted()).as("a second socket was opened").isGreaterThanOrEqualTo(2);
                for (ChannelStateListener.ChannelStateChange c : channelChanges) {
                    if (c.current == ChannelState.attached) {
                        assertThat(c.resumed)
                                .as("channel continuity: %s", channelChanges)
                                .isTrue();
                    }
                }
            } finally {
                AblyJava.closeAll(rt);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_socketDropped_resumesSameConnectionWithoutLoss(WireFormat f) {
        String channelName = "chat:resume-js-" + f;
        try (TcpProxy proxy = new TcpProxy(server.port());
                NodeScript js = NodeScript.start(
                        "resume.js",
                        Map.of(
                                "port",
                                proxy.port(),
                                "binary",
                                f.binary(),
                                "channel",
                                channelName,
                                "key",
                                server.full.keyString(),
                                "progressAt",
                                PROGRESS_AT))) {
            String connectionId = js.await("attached", NodeScript.STARTUP)
                    .path("connectionId")
                    .asText();
            JsonNode r;
            int total;
            try (SequencePublisher pub = new SequencePublisher(server, channelName, 10)) {
                js.await("progress", WAIT);
                proxy.cutAndHold();
                pub.awaitPublished(pub.published() + MISSED, WAIT);
                proxy.release();
                JsonNode again = js.await("reconnected", Duration.ofSeconds(30));
                assertThat(again.path("connectionId").asText())
                        .as("resumed: same connectionId")
                        .isEqualTo(connectionId);
                total = pub.finish(MORE_AFTER_RESUME);
                r = js.result(Duration.ofSeconds(30));
            }
            List<String> names = new ArrayList<>();
            r.path("names").forEach(n -> names.add(n.asText()));
            assertThat(names)
                    .as("every message exactly once, in order; %s", js.diagnostics())
                    .isEqualTo(expected(total));
            assertThat(r.path("connectionIdAfter").asText()).isEqualTo(connectionId);
            for (JsonNode c : r.path("channelChanges")) {
                if (c.path("current").asText().equals("attached")) {
                    assertThat(c.path("resumed").asBoolean())
                            .as("channel continuity: %s", r.path("channelChanges"))
                            .isTrue();
                }
            }
            assertThat(proxy.accepted()).as("a second socket was opened").isGreaterThanOrEqualTo(2);
        }
    }
}
