package io.herald.bench.load;

import io.herald.protocol.Action;
import io.herald.protocol.AuthDetails;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolDecodeException;
import io.herald.protocol.ProtocolMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Herald over the Ably realtime protocol (docs/protocol.md §1-§3, §7) with msgpack frames, as ably-js in Node and
 * ably-java connect: {@code access_token} in the URL, CONNECTED, ATTACH/ATTACHED, MESSAGE with a msgSerial answered by
 * ACK, and AUTH with a new token answered by CONNECTED on the same socket. Control frames go through herald-protocol's
 * codec; delivered messages are recognised by their payload mark without decoding.
 */
// fire and forget, as in Conn: nothing waits on the future of a close or of the scheduled close
@SuppressWarnings("FutureReturnValueIgnored")
final class AblyConn extends Conn {
    private static final ProtocolCodec CODEC = ProtocolCodec.of(Format.MSGPACK);

    private final String token;
    final String clientId;
    private boolean connected;
    private long msgSerial;
    private final AckTimes unacked = new AckTimes();
    /** The AUTH in flight, completed by the CONNECTED that answers it. */
    private @Nullable CompletableFuture<Long> reauth;

    AblyConn(int index, @Nullable String sub, @Nullable String pub, String token, String clientId) {
        super(index, sub, pub);
        this.token = token;
        this.clientId = clientId;
    }

    @Override
    String path() {
        return "/?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&format=msgpack&v=6&heartbeats=false&echo=false";
    }

    @Override
    void opened() {
        // CONNECTED comes first from the server
    }

    @Override
    void control(ByteBuf content, boolean text) {
        ProtocolMessage pm;
        try {
            pm = CODEC.decode(ByteBufUtil.getBytes(content));
        } catch (ProtocolDecodeException e) {
            fail("undecodable frame: " + e.getMessage());
            return;
        }
        switch (pm.action) {
            case Action.CONNECTED -> {
                if (!connected) {
                    connected = true;
                    if (sub != null) {
                        send(frame(ProtocolMessage.of(Action.ATTACH, sub)));
                    } else {
                        ready.complete(this);
                    }
                } else if (reauth != null) {
                    CompletableFuture<Long> r = reauth;
                    reauth = null;
                    r.complete(System.nanoTime());
                }
            }
            case Action.ATTACHED -> ready.complete(this);
            case Action.ACK -> {
                int n = pm.count == null ? 1 : pm.count;
                stats.acks += n;
                if (pm.msgSerial != null) {
                    unacked.answered(pm.msgSerial, n, true, System.nanoTime(), stats);
                }
            }
            case Action.NACK -> {
                stats.nacks += pm.count == null ? 1 : pm.count;
                if (pm.msgSerial != null) {
                    unacked.answered(pm.msgSerial, pm.count == null ? 1 : pm.count, false, System.nanoTime(), stats);
                }
                stats.lastError = "NACK " + pm.error;
            }
            case Action.CLOSED -> channel().close();
            case Action.HEARTBEAT, Action.AUTH -> {
                // AUTH: the server asks for a new token 30 s before expiry; runs use tokens that outlive them
            }
            case Action.ERROR, Action.DISCONNECTED -> {
                if (reauth != null) {
                    reauth.completeExceptionally(new IllegalStateException(String.valueOf(pm.error)));
                    reauth = null;
                }
                fail(Action.name(pm.action) + " " + pm.error);
            }
            default -> stats.error("unexpected " + pm);
        }
    }

    @Override
    void publish(long dueNanos) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, pubChannel());
        pm.msgSerial = msgSerial++;
        pm.messages = List.of(new Message("m", Payload.text(dueNanos, stats.step)));
        unacked.sent(dueNanos, stats.step);
        send(frame(pm));
        stats.sent++;
    }

    /**
     * Closes as the SDKs do on {@code close()}: CLOSE, and the socket goes when CLOSED arrives (or after 2 s), so the
     * server drops the session at once instead of keeping it resumable for connectionStateTtl.
     */
    @Override
    void close() {
        closing = true;
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (connected && ch.isActive()) {
            send(frame(new ProtocolMessage(Action.CLOSE)));
            ch.eventLoop()
                    .schedule(
                            () -> {
                                ch.close();
                            },
                            2,
                            java.util.concurrent.TimeUnit.SECONDS);
        } else {
            ch.close();
        }
    }

    /** Sends AUTH with a new token; completes with the nanoTime the CONNECTED answer arrived. Called on the loop. */
    CompletableFuture<Long> reauth(String newToken) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        if (reauth != null || !channel().isActive()) {
            f.completeExceptionally(new IllegalStateException("connection " + index + " cannot re-authenticate now"));
            return f;
        }
        reauth = f;
        ProtocolMessage pm = new ProtocolMessage(Action.AUTH);
        pm.auth = new AuthDetails(newToken);
        send(frame(pm));
        return f;
    }

    private static BinaryWebSocketFrame frame(ProtocolMessage pm) {
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(CODEC.encode(pm)));
    }
}
