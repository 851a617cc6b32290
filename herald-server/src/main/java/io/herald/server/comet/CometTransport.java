package io.herald.server.comet;

import io.herald.core.session.ConnectionHandler;
import io.herald.core.transport.Transport;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import io.herald.server.netty.OutboundBudget;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One Comet connection as the core's {@link Transport}: the session's frames wait in a queue until the client's next
 * recv (or its connect) request takes them. The queue has the slow-consumer bound of a WebSocket (its bytes count
 * towards {@code maxOutboundQueueBytes} and the node-wide {@link OutboundBudget}); a client that has no recv request
 * held for {@code goneMillis} is gone, and the session hears of it as of a dropped socket (it may be resumed). All
 * state is confined to {@link #home}, the event loop of the connect request.
 */
// timers are cancelled through their handles or run to their end; nothing waits on the future of a listener
@SuppressWarnings("FutureReturnValueIgnored")
final class CometTransport implements Transport, OutboundBudget.Member {
    private final CometEndpoint endpoint;
    private final EventLoop home;
    private final Format format;
    private final boolean streamed;
    private final String remoteAddress;
    private final long maxQueuedBytes;
    private final long holdMillis;
    private final long goneMillis;
    private final @Nullable OutboundBudget budget;
    private final Consumer<String> onSlowConsumer;
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean open = true;
    private volatile @Nullable Channel pollChannel;

    // confined to home
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private @Nullable CometPoll poll;
    private @Nullable ChannelFutureListener pollDropped;
    private @Nullable ScheduledFuture<?> holdTimer;
    private @Nullable ScheduledFuture<?> goneTimer;
    private @Nullable ConnectionHandler handler;
    private @Nullable String key;
    private @Nullable ErrorInfo refusal;
    private boolean flushScheduled;
    private boolean closing;
    private volatile boolean finished;
    private boolean handlerTold;

    CometTransport(
            CometEndpoint endpoint,
            EventLoop home,
            Format format,
            boolean streamed,
            String remoteAddress,
            CometEndpoint.Limits limits,
            @Nullable OutboundBudget budget,
            Consumer<String> onSlowConsumer) {
        this.endpoint = endpoint;
        this.home = home;
        this.format = format;
        this.streamed = streamed;
        this.remoteAddress = remoteAddress;
        this.maxQueuedBytes = limits.maxQueuedBytes();
        this.holdMillis = limits.holdMillis();
        this.goneMillis = limits.goneMillis();
        this.budget = budget;
        this.onSlowConsumer = onSlowConsumer;
        if (budget != null) {
            budget.add(this);
        }
    }

    /** Nothing more goes to or from the client (the key answers "closed" until it is forgotten). */
    boolean isFinished() {
        return finished;
    }

    /** Whether the client asked for streamed responses when it connected. */
    boolean streamed() {
        return streamed;
    }

    EventLoop home() {
        return home;
    }

    /** The session's handler (on home, right after connecting). */
    void bind(ConnectionHandler h) {
        this.handler = h;
    }

    @Nullable
    ConnectionHandler handler() {
        return handler;
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public void send(byte[] frame) {
        if (!open || !OutboundBudget.admit(this, maxQueuedBytes, budget) || !open) {
            return;
        }
        queued.addAndGet(frame.length);
        if (home.inEventLoop()) {
            enqueue(frame);
        } else {
            home.execute(() -> enqueue(frame));
        }
    }

    @Override
    public long queuedBytes() {
        Channel c = pollChannel;
        return queued.get() + (c == null ? 0 : OutboundBudget.pendingBytes(c));
    }

    @Override
    public void dropSlow(String reason) {
        if (!open) {
            return;
        }
        open = false;
        onSlowConsumer.accept(reason);
        home.execute(() -> abandon(reason, true));
    }

    /** The session is done with this transport: what it queued still goes to the client, then the connection ends. */
    @Override
    public void close() {
        open = false;
        home.execute(() -> {
            if (closing || finished) {
                return;
            }
            closing = true;
            CometPoll p = poll;
            if (p != null) {
                int status = key == null && refusal != null ? refusal.statusCode() : 200;
                p.end(format, drain(), status);
                pollEnded(p);
            } else if (frames.isEmpty()) {
                finish();
            }
        });
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    private void enqueue(byte[] frame) {
        if (finished) {
            queued.addAndGet(-frame.length);
            return;
        }
        frames.add(frame);
        if (key == null) {
            learnKey(frame);
        }
        if (poll != null && !flushScheduled) {
            flushScheduled = true;
            home.execute(this::flush);
        }
    }

    /** The connection key from CONNECTED names this connection in its URLs; an ERROR first is a refusal. */
    private void learnKey(byte[] frame) {
        ProtocolMessage pm;
        try {
            pm = ProtocolCodec.of(format).decode(frame);
        } catch (RuntimeException e) {
            return;
        }
        if (pm.action == Action.CONNECTED && pm.connectionKey != null) {
            key = pm.connectionKey;
            endpoint.register(pm.connectionKey, this);
        } else if (pm.action == Action.ERROR && pm.error != null) {
            refusal = pm.error;
        }
    }

    private List<byte[]> drain() {
        List<byte[]> batch = new ArrayList<>(frames);
        frames.clear();
        long bytes = 0;
        for (byte[] f : batch) {
            bytes += f.length;
        }
        queued.addAndGet(-bytes);
        return batch;
    }

    private void flush() {
        flushScheduled = false;
        CometPoll p = poll;
        if (p == null || frames.isEmpty()) {
            return;
        }
        if (key == null && refusal != null) {
            // refused before CONNECTED: one response with the ERROR, under the error's status
            p.end(format, drain(), refusal.statusCode());
            pollEnded(p);
            return;
        }
        if (!p.deliver(format, drain())) {
            pollEnded(p);
        }
    }

    /** A connect or recv request to answer with frames; it replaces one still held. */
    void recv(CometPoll p) {
        cancelGone();
        if (finished || (closing && frames.isEmpty())) {
            p.fail(ErrorCode.CONNECTION_CLOSED.info("Connection closed"));
            return;
        }
        CometPoll old = poll;
        if (old != null) {
            old.end(format, List.of(), 200);
            pollEnded(old);
            cancelGone();
        }
        poll = p;
        pollChannel = p.channel();
        ChannelFutureListener dropped = f -> home.execute(() -> {
            if (poll == p && !p.isDone()) {
                // the client's socket dropped under a held request, as a WebSocket's would
                abandon("comet recv request dropped by the client", false);
            }
        });
        // removed when the request ends: a kept-alive socket carries many recvs
        pollDropped = dropped;
        p.channel().closeFuture().addListener(dropped);
        holdTimer = home.schedule(
                () -> {
                    if (poll == p) {
                        p.end(format, drain(), 200);
                        pollEnded(p);
                    }
                },
                holdMillis,
                TimeUnit.MILLISECONDS);
        if (!frames.isEmpty()) {
            flush();
        }
        if (closing && poll == p) {
            p.end(format, drain(), 200);
            pollEnded(p);
        }
    }

    private void pollEnded(CometPoll p) {
        if (poll != p) {
            return;
        }
        poll = null;
        pollChannel = null;
        ChannelFutureListener dropped = pollDropped;
        if (dropped != null) {
            p.channel().closeFuture().removeListener(dropped);
            pollDropped = null;
        }
        ScheduledFuture<?> t = holdTimer;
        if (t != null) {
            t.cancel(false);
            holdTimer = null;
        }
        if (closing) {
            finish();
            return;
        }
        cancelGone();
        goneTimer = home.schedule(
                () -> {
                    if (poll == null && !finished) {
                        abandon("comet client gone: no recv request for " + goneMillis + " ms", false);
                    }
                },
                goneMillis,
                TimeUnit.MILLISECONDS);
    }

    private void cancelGone() {
        ScheduledFuture<?> g = goneTimer;
        if (g != null) {
            g.cancel(false);
            goneTimer = null;
        }
    }

    /** The frames of one send request, in order. */
    void onSend(List<ProtocolMessage> messages) {
        ConnectionHandler h = handler;
        if (h == null || finished) {
            return;
        }
        for (ProtocolMessage pm : messages) {
            h.onMessage(pm);
        }
    }

    /** A send body that did not decode: the session fails as for a bad WebSocket frame. */
    void onBadSend(ErrorInfo error) {
        ConnectionHandler h = handler;
        if (h != null && !finished) {
            h.onProtocolError(error);
        }
    }

    /**
     * The connection is over without a goodbye (client gone or disconnecting, slow consumer): the session keeps its
     * state for a resume, as for a dropped socket.
     */
    void abandon(String reason, boolean dropPoll) {
        if (finished) {
            return;
        }
        String k = key;
        if (k != null) {
            // unknown from now on: a client still using the key is told to resume, not that it is closed
            endpoint.unregister(k, this);
            key = null;
        }
        open = false;
        closing = true;
        frames.clear();
        queued.set(0);
        CometPoll p = poll;
        if (p != null) {
            if (dropPoll) {
                p.abort();
            } else {
                p.end(format, List.of(), 200);
            }
            pollEnded(p);
        } else {
            finish();
        }
        ConnectionHandler h = handler;
        if (h != null && !handlerTold) {
            handlerTold = true;
            h.onClosed(reason);
        }
    }

    /** Nothing more goes out; a key still known answers "closed" for a while, then is forgotten. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        open = false;
        cancelGone();
        frames.clear();
        queued.set(0);
        if (budget != null) {
            budget.remove(this);
        }
        ConnectionHandler h = handler;
        if (h != null && !handlerTold) {
            handlerTold = true;
            h.onClosed("comet connection closed");
        }
        String k = key;
        if (k != null) {
            home.schedule(() -> endpoint.unregister(k, this), goneMillis, TimeUnit.MILLISECONDS);
        }
    }
}
