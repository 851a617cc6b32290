package io.herald.server.netty;

import io.herald.core.rest.RestApi;
import io.herald.core.session.ConnectionHandler;
import io.herald.core.transport.Transport;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Flags;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Events stream (docs/protocol.md §15) as a subscribe-only realtime connection: the core's session
 * sees a {@link Transport} speaking JSON, and this class plays the client. On CONNECTED it attaches every channel
 * with the SUBSCRIBE mode (from the event id's channelSerial when resuming, with {@code rewind} otherwise); once every
 * channel answered ATTACHED it starts the {@code text/event-stream} response, and from then on turns MESSAGEs into
 * events, HEARTBEATs into comment lines, and a connection or channel error into an {@code error} event and the end
 * of the stream. An error before the stream started (credentials, capability, channel name) is an Ably error response
 * with its status instead. Frames from the session are handled on the socket's event loop, in order.
 */
// Netty reports a failed write or close through the pipeline; nothing waits on these ChannelFutures
@SuppressWarnings("FutureReturnValueIgnored")
final class SseStream implements Transport, OutboundBudget.Member {
    private static final ProtocolCodec JSON = ProtocolCodec.of(Format.JSON);

    private final ChannelHandlerContext ctx;
    private final Channel channel;
    private final SseRequest request;
    private final SseEventId position;
    private final Map<String, Integer> index = new HashMap<>();
    private final long maxQueuedBytes;
    private final Consumer<String> onSlowConsumer;
    private final OutboundBudget budget;
    private volatile boolean open = true;

    // confined to the event loop
    private @Nullable ConnectionHandler handler;
    private boolean connected;
    private boolean attachSent;
    private final boolean[] attached;
    private int attachedCount;
    private boolean streaming;
    private boolean finished;
    private boolean sessionEnded;
    private final List<ProtocolMessage> pending = new ArrayList<>();
    private long pendingBytes;

    SseStream(
            ChannelHandlerContext ctx,
            SseRequest request,
            long maxQueuedBytes,
            Consumer<String> onSlowConsumer,
            OutboundBudget budget) {
        this.ctx = ctx;
        this.budget = budget;
        this.channel = ctx.channel();
        this.request = request;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onSlowConsumer = onSlowConsumer;
        SseEventId from = request.resumeFrom();
        this.position = from != null ? from : new SseEventId(request.channels());
        this.attached = new boolean[request.channels().size()];
        for (int i = 0; i < request.channels().size(); i++) {
            index.put(request.channels().get(i), i);
        }
        budget.add(this);
        channel.closeFuture().addListener(f -> {
            open = false;
            budget.remove(this);
            channel.eventLoop().execute(this::endSession);
        });
    }

    /** The session for this stream (called on the event loop, right after connecting). */
    void bind(ConnectionHandler h) {
        this.handler = h;
        maybeAttach();
    }

    @Override
    public Format format() {
        return Format.JSON;
    }

    @Override
    public void send(byte[] frame) {
        if (!open) {
            return;
        }
        if (OutboundBudget.admit(this, maxQueuedBytes, budget) && open) {
            channel.eventLoop().execute(() -> onFrame(frame));
        }
    }

    @Override
    public long queuedBytes() {
        return OutboundBudget.pendingBytes(channel);
    }

    /** Closes the socket without a last event: the reader is too slow for one to get through. */
    @Override
    public void dropSlow(String reason) {
        if (!open) {
            return;
        }
        open = false;
        onSlowConsumer.accept(reason);
        channel.close();
    }

    @Override
    public void close() {
        channel.eventLoop().execute(() -> {
            if (!finished) {
                fail(ErrorCode.DISCONNECTED.info("Connection closed by the server"));
            }
        });
    }

    @Override
    public boolean isOpen() {
        return open && channel.isActive();
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    private void onFrame(byte[] frame) {
        if (finished) {
            return;
        }
        ProtocolMessage pm = JSON.decode(frame);
        Integer i = pm.channel == null ? null : index.get(pm.channel);
        switch (pm.action) {
            case Action.CONNECTED -> {
                connected = true;
                maybeAttach();
            }
            case Action.ERROR, Action.DISCONNECTED, Action.DETACHED ->
                fail(pm.error != null ? pm.error : ErrorCode.DISCONNECTED.info("Channel detached"));
            case Action.ATTACHED -> {
                if (i != null && !attached[i]) {
                    boolean resumed = position.serial(i) != null && pm.hasFlag(Flags.RESUMED);
                    if (!resumed) {
                        position.set(i, pm.channelSerial);
                    }
                    attached[i] = true;
                    attachedCount++;
                    maybeStart();
                }
            }
            case Action.MESSAGE -> {
                if (i == null) {
                    return;
                }
                if (streaming) {
                    writeMessages(i, pm);
                    return;
                }
                pending.add(pm);
                pendingBytes += frame.length;
                if (pendingBytes > maxQueuedBytes) {
                    fail(ErrorCode.INTERNAL_ERROR.info("Too much backlog to start the stream: ask for less rewind"));
                }
            }
            case Action.HEARTBEAT -> {
                if (streaming) {
                    write(":\n\n");
                }
            }
            default -> {
                // AUTH, PRESENCE, SYNC, CLOSED: nothing an SSE client can act on
            }
        }
    }

    private void maybeAttach() {
        ConnectionHandler h = handler;
        if (h == null || !connected || attachSent) {
            return;
        }
        attachSent = true;
        for (int i = 0; i < request.channels().size(); i++) {
            String name = request.channels().get(i);
            ProtocolMessage attach = ProtocolMessage.of(Action.ATTACH, name);
            attach.flags = Flags.MODE_SUBSCRIBE;
            String serial = position.serial(i);
            if (serial != null) {
                attach.channelSerial = serial;
            } else if (request.rewind() != null && !name.startsWith("[?")) {
                attach.params = Map.of("rewind", request.rewind());
            }
            h.onMessage(attach);
        }
    }

    private void maybeStart() {
        if (streaming || finished || attachedCount < attached.length) {
            return;
        }
        streaming = true;
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(head, true);
        channel.write(head);
        write("id: " + position.text() + "\n\n");
        for (ProtocolMessage pm : pending) {
            Integer i = index.get(pm.channel);
            if (i != null) {
                writeMessages(i, pm);
            }
        }
        pending.clear();
    }

    /**
     * Each message as one event. Only the last message of a ProtocolMessage carries an {@code id}: they share one
     * channelSerial, so a stream cut between them resumes before the first one (a repeat rather than a loss).
     */
    private void writeMessages(int i, ProtocolMessage pm) {
        List<Message> messages = pm.messages;
        if (messages == null) {
            return;
        }
        // checked here too: send() runs before the writes of the frames still waiting for this loop
        if (!OutboundBudget.admit(this, maxQueuedBytes, null)) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < messages.size(); m++) {
            if (m == messages.size() - 1 && pm.channelSerial != null) {
                position.set(i, pm.channelSerial);
                sb.append("id: ").append(position.text()).append('\n');
            }
            Message message = messages.get(m);
            String name = request.channels().get(i);
            SseFormat.data(sb, request.enveloped() ? SseFormat.envelope(name, message) : SseFormat.raw(message));
        }
        write(sb.toString());
    }

    /** Before the stream: the Ably error response. After: an {@code error} event. Then the end. */
    private void fail(ErrorInfo error) {
        if (finished) {
            return;
        }
        finished = true;
        open = false;
        if (streaming) {
            write("event: error\ndata: " + SseFormat.json(error) + "\n\n");
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        } else {
            HttpReplies.write(ctx, RestApi.errorResponse(error), false, false);
        }
        endSession();
    }

    private void write(String text) {
        channel.writeAndFlush(
                new DefaultHttpContent(ByteBufUtil.writeUtf8(channel.alloc(), text)), channel.voidPromise());
    }

    /** Closes the subscribe-only session at once: nothing can resume it, so it keeps no state for a resume. */
    private void endSession() {
        finished = true;
        ConnectionHandler h = handler;
        if (sessionEnded || h == null) {
            return;
        }
        sessionEnded = true;
        h.onMessage(new ProtocolMessage(Action.CLOSE));
        h.onClosed("sse stream ended");
    }
}
