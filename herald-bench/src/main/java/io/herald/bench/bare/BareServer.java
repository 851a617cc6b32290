package io.herald.bench.bare;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bare reference: what this machine can do for the same work with nothing in the way. One port, epoll, as many
 * event loops as cores and the same flush consolidation as Herald, and:
 * <ul>
 *   <li>a WebSocket broadcast on {@code /}: text {@code sub <channel>} joins a channel (answered {@code ok}); a
 *       binary frame {@code [n][channel: n bytes][payload]} sends the payload, shared not copied, to every member of
 *       the channel, one task per event loop per message (Herald's hub does the same grouping). No protocol, no
 *       auth, no ids, no history, no queues beyond Netty's own.</li>
 *   <li>any other HTTP request: a fixed JSON body the size of a TokenDetails, keep-alive (the limit for
 *       requestToken); {@code GET /health/ready} answers 200.</li>
 * </ul>
 * Usage: {@code java -cp herald-bench.jar io.herald.bench.bare.BareServer --port P}.
 */
public final class BareServer {
    private static final byte[] TOKEN_BODY =
            ("{\"token\":\"hdt1.eyJrZXkiOiJiZW5jaC5rMSIsImp0aSI6ImpaWURTTEV2ZW5COFRBWVEi"
                            + "LCJjaWQiOiJ1MSIsImNhcCI6IntcIipcIjpbXCIqXCJdfSIsImlhdCI6MTc5NTgxNTE1OTIyMSwiZXhwIjoxNzk1ODE4NzU5MjIxfQ"
                            + ".G-ykfqt_cl7MegCSLgNe0BWoWA4NoIZdw4EZ_uXqRuM\",\"keyName\":\"bench.k1\",\"issued\":1795815159221,"
                            + "\"expires\":1795818759221,\"capability\":\"{\\\"*\\\":[\\\"*\\\"]}\",\"clientId\":\"http-1\"}")
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8);

    /** A channel's members, grouped by event loop; copy-on-write. */
    private static final class Room {
        volatile Map<EventLoop, Channel[]> byLoop = Map.of();

        synchronized void add(Channel ch) {
            Map<EventLoop, Channel[]> next = new LinkedHashMap<>(byLoop);
            Channel[] old = next.getOrDefault(ch.eventLoop(), new Channel[0]);
            Channel[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = ch;
            next.put(ch.eventLoop(), grown);
            byLoop = next;
        }

        synchronized void remove(Channel ch) {
            Map<EventLoop, Channel[]> next = new LinkedHashMap<>(byLoop);
            Channel[] old = next.get(ch.eventLoop());
            if (old == null) {
                return;
            }
            List<Channel> kept = new ArrayList<>(Arrays.asList(old));
            kept.remove(ch);
            if (kept.isEmpty()) {
                next.remove(ch.eventLoop());
            } else {
                next.put(ch.eventLoop(), kept.toArray(new Channel[0]));
            }
            byLoop = next;
        }
    }

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int port = 8090;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new BareServer().serve(port, threads);
    }

    private void serve(int port, int threads) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        MultiThreadIoEventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        MultiThreadIoEventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, io);
        Channel server = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // flush consolidation as in Herald's pipeline: a busy socket gets one writev for several frames
                        ch.pipeline()
                                .addLast("flush", new FlushConsolidationHandler(256, true))
                                .addLast("http", new HttpServerCodec())
                                .addLast("agg", new HttpObjectAggregator(65_536))
                                .addLast("req", new Http());
                    }
                })
                .bind("0.0.0.0", port)
                .sync()
                .channel();
        System.out.println("bare reference listening on " + port + " (" + (epoll ? "epoll" : "nio") + ", " + threads
                + " event loops)");
        server.closeFuture().sync();
    }

    // fire and forget, as in Herald's own handlers: a write that fails on the socket closes it (Netty's auto-close),
    // and nothing here waits on the ChannelFuture of a response, a handshake or a close
    @SuppressWarnings("FutureReturnValueIgnored")
    private final class Http extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
            if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
                WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
                                "ws://localhost/", null, false, 1 << 20)
                        .newHandshaker(req);
                if (hs == null) {
                    WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                    return;
                }
                ctx.pipeline().replace(this, "ws", new Ws());
                hs.handshake(ctx.channel(), req); // swaps the HTTP codec and aggregator for the frame codec
                return;
            }
            byte[] body = req.uri().startsWith("/health") ? READY : TOKEN_BODY;
            FullHttpResponse resp = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setContentLength(resp, body.length);
            if (HttpUtil.isKeepAlive(req)) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    // nothing waits on the ChannelFuture of a reply, a broadcast write (void promise) or a close
    @SuppressWarnings("FutureReturnValueIgnored")
    private final class Ws extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final List<Room> joined = new ArrayList<>(1);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof BinaryWebSocketFrame) {
                ByteBuf in = frame.content();
                int n = in.readUnsignedByte();
                String name = in.readCharSequence(n, StandardCharsets.UTF_8).toString();
                Room room = rooms.get(name);
                if (room != null) {
                    broadcast(ctx.channel().eventLoop(), room, in.retainedSlice());
                }
            } else if (frame instanceof TextWebSocketFrame text) {
                String s = text.text();
                if (s.startsWith("sub ")) {
                    Room room = rooms.computeIfAbsent(s.substring(4), k -> new Room());
                    room.add(ctx.channel());
                    joined.add(room);
                    ctx.writeAndFlush(new TextWebSocketFrame("ok"));
                }
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame) {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private void broadcast(EventLoop here, Room room, ByteBuf payload) {
            Map<EventLoop, Channel[]> groups = room.byLoop;
            for (Map.Entry<EventLoop, Channel[]> g : groups.entrySet()) {
                Channel[] members = g.getValue();
                ByteBuf share = payload.retainedDuplicate();
                Runnable deliver = () -> {
                    for (Channel ch : members) {
                        ch.writeAndFlush(new BinaryWebSocketFrame(share.retainedDuplicate()), ch.voidPromise());
                    }
                    share.release();
                };
                if (g.getKey() == here) {
                    deliver.run();
                } else {
                    g.getKey().execute(deliver);
                }
            }
            payload.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (Room r : joined) {
                r.remove(ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
