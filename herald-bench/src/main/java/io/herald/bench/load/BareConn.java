package io.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The bare reference server's own minimal framing: text {@code sub <channel>} answered by {@code ok}; a binary frame
 * {@code [length of channel][channel][payload]} publishes, and subscribers get the payload alone as a binary frame.
 */
final class BareConn extends Conn {
    /** {@code [length][channel]} of the channel it publishes to; null if it does not publish. */
    private byte @Nullable [] pubPrefix;

    BareConn(int index, @Nullable String sub, @Nullable String pub) {
        super(index, sub, pub);
    }

    @Override
    String path() {
        return "/";
    }

    @Override
    void opened() {
        if (pub != null) {
            byte[] name = pub.getBytes(StandardCharsets.UTF_8);
            pubPrefix = new byte[name.length + 1];
            pubPrefix[0] = (byte) name.length;
            System.arraycopy(name, 0, pubPrefix, 1, name.length);
        }
        if (sub != null) {
            send(new TextWebSocketFrame("sub " + sub));
        } else {
            ready.complete(this);
        }
    }

    @Override
    void control(ByteBuf content, boolean text) {
        if (text && content.toString(StandardCharsets.UTF_8).equals("ok")) {
            ready.complete(this);
        } else {
            stats.error("unexpected frame");
        }
    }

    @Override
    void publish(long dueNanos) {
        byte[] prefix = Objects.requireNonNull(pubPrefix, "not a publisher");
        ByteBuf buf = channel().alloc().buffer(prefix.length + Payload.SIZE);
        buf.writeBytes(prefix).writeBytes(Payload.bytes(dueNanos, stats.step));
        send(new BinaryWebSocketFrame(buf));
        stats.sent++;
    }
}
