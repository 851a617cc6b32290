package io.herald.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.Format;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frames {@link NettyWebSocketTransport} builds itself must be the bytes Netty's own server-side frame encoder
 * writes for the same payload, at every length encoding (RFC 6455 §5.2: 7, 16 and 64-bit lengths), and subscribers
 * sharing one payload must each get the whole frame.
 */
class PreframedWritesTest {

    private static byte[] payload(int length) {
        byte[] b = new byte[length];
        new Random(length).nextBytes(b);
        return b;
    }

    /** What Netty's encoder writes for the payload, as one byte array. */
    private static byte[] nettyFrame(byte[] payload, boolean text) {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        ByteBuf data = Unpooled.wrappedBuffer(payload);
        ch.writeOutbound(text ? new TextWebSocketFrame(data) : new BinaryWebSocketFrame(data));
        return drain(ch);
    }

    private static byte[] drain(EmbeddedChannel ch) {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            byte[] bytes = ByteBufUtil.getBytes(b);
            b.release();
            parts.add(bytes);
            total += bytes.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 1000, 65535, 65536, 70000})
    void frame_everyLengthEncoding_matchesNettysEncoder(int length) {
        byte[] p = payload(length);
        for (boolean text : new boolean[] {true, false}) {
            ByteBuf ours = NettyWebSocketTransport.frame(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, p, text);
            try {
                assertThat(ByteBufUtil.getBytes(ours)).isEqualTo(nettyFrame(p, text));
            } finally {
                ours.release();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "MSGPACK"})
    void send_onePayloadToManyConnections_eachGetsTheWholeFrameThenTheNext(String formatName) {
        Format format = Format.valueOf(formatName);
        boolean text = format == Format.JSON;
        byte[] first = "{\"action\":15,\"channel\":\"c\"}".getBytes(StandardCharsets.UTF_8);
        byte[] second = payload(300);
        List<EmbeddedChannel> channels = new ArrayList<>();
        List<NettyWebSocketTransport> transports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
            channels.add(ch);
            transports.add(new NettyWebSocketTransport(ch, format, 1 << 20, reason -> {}));
        }
        for (NettyWebSocketTransport t : transports) {
            t.send(first);
        }
        for (NettyWebSocketTransport t : transports) {
            t.send(second);
        }
        byte[] expected = concat(nettyFrame(first, text), nettyFrame(second, text));
        for (EmbeddedChannel ch : channels) {
            assertThat(drain(ch)).isEqualTo(expected);
            ch.finishAndReleaseAll();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
