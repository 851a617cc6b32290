package io.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Socket.IO v5 over Engine.IO v4 on a raw WebSocket: open packet {@code 0{...}}, connect {@code 40}, join a room
 * with an acknowledged event {@code 420["join",room]} answered by {@code 430[]}, publish {@code 42["pub",room,data]},
 * deliveries {@code 42["msg",data]}, and the server's ping {@code 2} answered by pong {@code 3}.
 */
final class SioConn extends Conn {

    SioConn(int index, @Nullable String sub, @Nullable String pub) {
        super(index, sub, pub);
    }

    @Override
    String path() {
        return "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    void opened() {
        // the server sends the open packet first
    }

    @Override
    void control(ByteBuf content, boolean text) {
        String s = content.toString(StandardCharsets.UTF_8);
        if (s.equals("2")) {
            send(new TextWebSocketFrame("3"));
        } else if (s.startsWith("0{")) {
            send(new TextWebSocketFrame("40"));
        } else if (s.startsWith("40")) {
            if (sub != null) {
                send(new TextWebSocketFrame("420[\"join\",\"" + sub + "\"]"));
            } else {
                ready.complete(this);
            }
        } else if (s.startsWith("430")) {
            ready.complete(this);
        } else if (s.startsWith("44")) {
            fail("connect error " + s);
        } else if (s.startsWith("1") || s.startsWith("41")) {
            fail("closed by the server: " + s);
        } else {
            stats.error("unexpected frame " + (s.length() > 80 ? s.substring(0, 80) : s));
        }
    }

    @Override
    void publish(long dueNanos) {
        send(new TextWebSocketFrame("42[\"pub\",\"" + pub + "\",\"" + Payload.text(dueNanos, stats.step) + "\"]"));
        stats.sent++;
    }
}
