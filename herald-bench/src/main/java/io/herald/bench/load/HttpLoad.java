package io.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A closed-loop HTTP/1.1 client: {@code conns} keep-alive connections, each sending the next POST as soon as the
 * previous answer arrives, until a number of requests or a deadline. Bodies come from a supplier (TokenRequests are
 * single-use, so each request carries a freshly signed one). Records the latency of every request.
 */
final class HttpLoad {

    /**
     * The outcome of a run. {@code bodies} holds the 2xx response bodies when asked to keep them; {@code lastError} is
     * null when no request failed.
     */
    record Result(
            long requests,
            long errors,
            long elapsedNanos,
            Histogram latency,
            List<String> bodies,
            @Nullable String lastError) {}

    private final Bootstrap bootstrap;
    private final String host;
    private final int port;

    HttpLoad(EventLoopGroup group, Class<? extends SocketChannel> channelType, String host, int port) {
        this.host = host;
        this.port = port;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /**
     * Runs until {@code maxRequests} requests were sent (when positive) or {@code durationNanos} passed (when
     * positive), whichever comes first. {@code onBody}, when not null, gets each 2xx response body on the event loop.
     */
    Result run(
            String path,
            int conns,
            Supplier<byte[]> bodies,
            long maxRequests,
            long durationNanos,
            boolean keepBodies,
            @Nullable Consumer<String> onBody)
            throws InterruptedException {
        AtomicLong issued = new AtomicLong();
        long start = System.nanoTime();
        long deadline = durationNanos > 0 ? start + durationNanos : Long.MAX_VALUE;
        CountDownLatch done = new CountDownLatch(conns);
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            Client c = new Client(path, bodies, issued, maxRequests, deadline, keepBodies, onBody, done);
            clients.add(c);
            bootstrap
                    .clone()
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), c);
                        }
                    })
                    .connect(host, port)
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            c.lastError = "connect: " + f.cause();
                            c.errors++;
                            c.finish();
                        }
                    });
        }
        long budget = durationNanos > 0 ? durationNanos + TimeUnit.SECONDS.toNanos(30) : TimeUnit.MINUTES.toNanos(10);
        if (!done.await(budget, TimeUnit.NANOSECONDS)) {
            for (Client c : clients) {
                c.timedOut();
            }
        }
        long elapsed = System.nanoTime() - start;
        Histogram h = new Histogram(60_000_000_000L, 3);
        long requests = 0;
        long errors = 0;
        String lastError = null;
        List<String> kept = new ArrayList<>();
        for (Client c : clients) {
            synchronized (c) {
                h.add(c.latency);
                requests += c.completed;
                errors += c.errors;
                kept.addAll(c.bodiesKept);
                if (c.lastError != null) {
                    lastError = c.lastError;
                }
            }
        }
        return new Result(requests, errors, elapsed, h, kept, lastError);
    }

    // fire and forget: a request that fails on the socket closes it (Netty's auto-close) and channelInactive ends the
    // client; nothing waits on the ChannelFuture of a request or a close
    @SuppressWarnings("FutureReturnValueIgnored")
    private final class Client extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final String path;
        private final Supplier<byte[]> bodies;
        private final AtomicLong issued;
        private final long maxRequests;
        private final long deadline;
        private final boolean keepBodies;
        private final @Nullable Consumer<String> onBody;
        private final CountDownLatch done;
        final Histogram latency = new Histogram(60_000_000_000L, 3);
        final List<String> bodiesKept = new ArrayList<>();
        /** The socket, from when it is active. */
        @Nullable
        Channel channel;

        long completed;
        long errors;

        @Nullable
        String lastError;

        private long sentAt;
        private boolean finished;

        Client(
                String path,
                Supplier<byte[]> bodies,
                AtomicLong issued,
                long maxRequests,
                long deadline,
                boolean keepBodies,
                @Nullable Consumer<String> onBody,
                CountDownLatch done) {
            this.path = path;
            this.bodies = bodies;
            this.issued = issued;
            this.maxRequests = maxRequests;
            this.deadline = deadline;
            this.keepBodies = keepBodies;
            this.onBody = onBody;
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            next(ctx.channel());
        }

        /** The run did not end in time: report it and close the socket, if there is one. */
        void timedOut() {
            lastError = "timed out";
            if (channel != null) {
                channel.close();
            }
        }

        private void next(Channel ch) {
            if ((maxRequests > 0 && issued.incrementAndGet() > maxRequests) || System.nanoTime() >= deadline) {
                ch.close();
                finish();
                return;
            }
            byte[] body = bodies.get();
            FullHttpRequest req = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
            req.headers()
                    .set(HttpHeaderNames.HOST, host + ":" + port)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                    .set("X-Ably-Version", "6")
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            sentAt = System.nanoTime();
            ch.writeAndFlush(req);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            long now = System.nanoTime();
            String body = null;
            synchronized (this) {
                latency.recordValue(Math.min(now - sentAt, latency.getHighestTrackableValue()));
                int status = resp.status().code();
                if (status / 100 == 2) {
                    completed++;
                    if (keepBodies || onBody != null) {
                        body = resp.content().toString(StandardCharsets.UTF_8);
                    }
                    if (keepBodies) {
                        bodiesKept.add(body);
                    }
                } else {
                    errors++;
                    lastError = "HTTP " + status + " " + resp.content().toString(StandardCharsets.UTF_8);
                }
            }
            if (body != null && onBody != null) {
                onBody.accept(body);
            }
            next(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            synchronized (this) {
                errors++;
                lastError = cause.toString();
            }
            ctx.close();
        }

        synchronized void finish() {
            if (!finished) {
                finished = true;
                done.countDown();
            }
        }
    }
}
