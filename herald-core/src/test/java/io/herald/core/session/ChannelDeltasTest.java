package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.core.HeraldNode;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.testing.ManualLoop;
import io.herald.core.testing.MutableClock;
import io.herald.core.testing.RecordingTransport;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import io.herald.protocol.VcdiffTestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code delta: 'vcdiff'} channel param (docs/protocol.md §7.9): deltas against the last message sent to the
 * subscriber, decoded here the way an SDK does (SPEC RTL19-RTL21), full messages after every (re)attach, plain
 * messages for the other subscribers of the channel, and the param's refusal.
 */
class ChannelDeltasTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final ManualLoop loop = new ManualLoop(clock);
    private final ApiKey key = ApiKey.generate("app");
    private HeraldNode node;

    private static final String LONG =
            "the quick brown fox jumps over the lazy dog; pack my box with five dozen jugs #";

    @BeforeEach
    void start() {
        AppConfig app = new AppConfig(
                "app",
                List.of(KeyConfig.fullAccess(key)),
                List.of(new NamespaceConfig("persisted", true, false, false)),
                List.of());
        CoreConfig cfg = new CoreConfig("test-node", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of(app));
        node = new HeraldNode(cfg, new MemoryEngine(new EngineContext(cfg, clock, "n1", Map.of())), clock, null);
        node.start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private final class Client {
        final RecordingTransport transport;
        final io.herald.core.session.ConnectionHandler handler;
        long msgSerial;
        /** What an SDK keeps per channel (RTL19, RTL20): the last message id and its base payload. */
        @Nullable
        String lastId;

        byte @Nullable [] base;

        Client(Format format) {
            transport = new RecordingTransport(format);
            Map<String, String> q = new HashMap<>(Map.of("key", key.keyString()));
            q.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
            handler = node.connect(transport, loop, q);
            loop.runPending();
        }

        void send(ProtocolMessage pm) {
            handler.onMessage(pm);
            loop.runPending();
        }

        void publish(String channel, Object... data) {
            ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
            pm.msgSerial = msgSerial++;
            pm.messages = new ArrayList<>();
            for (Object d : data) {
                Message m = new Message("n", d);
                if (d instanceof String s && s.startsWith("{")) {
                    m.encoding = "json";
                }
                pm.messages.add(m);
            }
            send(pm);
        }

        void attach(String channel, @Nullable String delta, @Nullable String channelSerial) {
            ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, channel);
            if (delta != null) {
                pm.params = Map.of("delta", delta);
            }
            pm.channelSerial = channelSerial;
            send(pm);
        }

        List<ProtocolMessage> of(int action) {
            return transport.sent().stream().filter(p -> p.action == action).toList();
        }

        List<Message> messages() {
            List<Message> out = new ArrayList<>();
            of(Action.MESSAGE).forEach(pm -> out.addAll(pm.messages));
            return out;
        }

        /** Decodes every message received so far, as an SDK would; returns the payloads as text. */
        List<String> decodeAll() {
            List<String> out = new ArrayList<>();
            lastId = null;
            base = null;
            for (Message m : messages()) {
                out.add(decode(m));
            }
            return out;
        }

        private String decode(Message m) {
            String enc = m.encoding == null ? "" : m.encoding;
            byte[] payload;
            if (m.data instanceof byte[] b) {
                payload = b;
            } else if (enc.endsWith("base64")) {
                payload = Base64.getDecoder().decode((String) m.data);
                enc = enc.equals("base64") ? "" : enc.substring(0, enc.length() - "/base64".length());
            } else {
                payload = ((String) m.data).getBytes(StandardCharsets.UTF_8);
            }
            if (m.extras != null && m.extras.has("delta")) {
                assertThat(m.extras.path("delta").path("format").asText()).isEqualTo("vcdiff");
                assertThat(m.extras.path("delta").path("from").asText()).isEqualTo(lastId);
                assertThat(enc).endsWith("vcdiff");
                payload = VcdiffTestDecoder.decode(base, payload);
                enc = enc.equals("vcdiff") ? "" : enc.substring(0, enc.length() - "/vcdiff".length());
            }
            base = payload;
            lastId = m.id;
            return new String(payload, StandardCharsets.UTF_8) + (enc.isEmpty() ? "" : " [" + enc + "]");
        }

        long deltas() {
            return messages().stream()
                    .filter(m -> m.extras != null && m.extras.has("delta"))
                    .count();
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void deltaSubscriber_similarMessages_receivesDeltasOthersReceivePlainMessages(Format f) {
        Client withDelta = new Client(f);
        Client plain = new Client(f);
        Client pub = new Client(Format.JSON);
        withDelta.attach("chat", "vcdiff", null);
        plain.attach("chat", null, null);
        pub.publish("chat", LONG + 1);
        pub.publish("chat", LONG + 2);
        pub.publish("chat", "{\"a\":\"" + LONG + "\",\"n\":3}");
        pub.publish("chat", "{\"a\":\"" + LONG + "\",\"n\":4}");
        pub.publish("chat", LONG.getBytes(StandardCharsets.UTF_8));
        pub.publish("chat", (LONG + "!").getBytes(StandardCharsets.UTF_8));
        pub.publish("chat", "short");
        pub.publish("chat", LONG + 8, LONG + 9);

        assertThat(withDelta.decodeAll()).hasSize(9);
        // what remains of the encoding after the delta is undone: utf-8 (then json) turn the bytes back into text
        assertThat(withDelta.decodeAll())
                .containsExactly(
                        LONG + 1,
                        LONG + 2 + " [utf-8]",
                        "{\"a\":\"" + LONG + "\",\"n\":3} [json/utf-8]",
                        "{\"a\":\"" + LONG + "\",\"n\":4} [json/utf-8]",
                        LONG,
                        LONG + "!",
                        "short",
                        LONG + 8,
                        LONG + 9 + " [utf-8]");
        // every message but the first is similar to the one before, except "short" and the one after it: not worth
        // a delta
        assertThat(withDelta.messages().get(1).encoding)
                .isEqualTo(f == Format.JSON ? "utf-8/vcdiff/base64" : "utf-8/vcdiff");
        assertThat(withDelta.messages().get(3).encoding)
                .isEqualTo(f == Format.JSON ? "json/utf-8/vcdiff/base64" : "json/utf-8/vcdiff");
        assertThat(withDelta.messages().get(5).encoding).isEqualTo(f == Format.JSON ? "vcdiff/base64" : "vcdiff");
        assertThat(withDelta.messages().get(6).extras).isNull();
        assertThat(withDelta.messages().get(7).extras).isNull();
        assertThat(withDelta.deltas()).isEqualTo(6);

        assertThat(plain.deltas()).isZero();
        assertThat(plain.messages()).extracting(m -> m.encoding).doesNotContain("utf-8/vcdiff", "vcdiff");
        assertThat(plain.messages().get(1).data).isEqualTo(LONG + 2);
    }

    @Test
    void reattach_afterMissedMessages_firstMessageIsFullThenDeltasAgain() {
        Client sub = new Client(Format.MSGPACK);
        Client pub = new Client(Format.JSON);
        sub.attach("persisted:d", "vcdiff", null);
        pub.publish("persisted:d", LONG + 1);
        pub.publish("persisted:d", LONG + 2);
        assertThat(sub.deltas()).isEqualTo(1);
        String serial = sub.of(Action.MESSAGE).get(0).channelSerial;
        // the SDK could not decode the second message (RTL18): it re-attaches from the first
        sub.attach("persisted:d", "vcdiff", serial);
        pub.publish("persisted:d", LONG + 3);
        List<ProtocolMessage> all = sub.of(Action.MESSAGE);
        assertThat(all).hasSize(4);
        // the replayed second message goes in full, the live third as a delta against it
        assertThat(all.get(2).messages.get(0).extras).isNull();
        assertThat(all.get(2).messages.get(0).data).isEqualTo(LONG + 2);
        assertThat(all.get(3).messages.get(0).extras.path("delta").path("from").asText())
                .isEqualTo(all.get(2).messages.get(0).id);
    }

    @Test
    void rewind_firstReplayedMessageIsFull() {
        Client pub = new Client(Format.JSON);
        pub.publish("persisted:r", LONG + 1);
        pub.publish("persisted:r", LONG + 2);
        Client sub = new Client(Format.JSON);
        ProtocolMessage attach = ProtocolMessage.of(Action.ATTACH, "persisted:r");
        attach.params = Map.of("delta", "vcdiff", "rewind", "2");
        sub.send(attach);
        assertThat(sub.messages()).hasSize(2);
        assertThat(sub.messages().get(0).extras).isNull();
        assertThat(sub.decodeAll()).containsExactly(LONG + 1, LONG + 2 + " [utf-8]");
    }

    @Test
    void messagesWithoutData_breakTheChain() {
        Client sub = new Client(Format.JSON);
        Client pub = new Client(Format.JSON);
        sub.attach("chat", "vcdiff", null);
        pub.publish("chat", LONG + 1);
        ProtocolMessage empty = ProtocolMessage.of(Action.MESSAGE, "chat");
        empty.msgSerial = pub.msgSerial++;
        empty.messages = new ArrayList<>(List.of(new Message("no-data", null)));
        pub.send(empty);
        pub.publish("chat", LONG + 2);
        assertThat(sub.messages()).hasSize(3);
        assertThat(sub.deltas()).isZero();
    }

    @Test
    void attach_unknownDeltaFormat_isRefusedWith40030() {
        Client sub = new Client(Format.JSON);
        sub.attach("chat", "xdelta", null);
        assertThat(sub.of(Action.ATTACHED)).isEmpty();
        assertThat(sub.of(Action.ERROR))
                .singleElement()
                .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(ErrorCode.INVALID_CHANNEL_PARAMETER.code()));
    }

    @Test
    void payload_ofEncodings_isWhatTheClientKeepsAsBase() {
        Message cipher = new Message("n", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        cipher.encoding = "utf-8/cipher+aes-128-cbc/base64";
        ChannelDeltas.Payload p = ChannelDeltas.Payload.of(cipher);
        assertThat(p.bytes()).containsExactly(1, 2, 3);
        assertThat(p.deltaEncoding()).isEqualTo("utf-8/cipher+aes-128-cbc/vcdiff");
        Message binary = new Message("n", new byte[] {4});
        binary.encoding = "cipher+aes-256-cbc";
        assertThat(ChannelDeltas.Payload.of(binary).deltaEncoding()).isEqualTo("cipher+aes-256-cbc/vcdiff");
        assertThat(ChannelDeltas.Payload.of(new Message("n", null))).isNull();
        Message bad = new Message("n", "not base64!");
        bad.encoding = "base64";
        assertThat(ChannelDeltas.Payload.of(bad)).isNull();
    }
}
