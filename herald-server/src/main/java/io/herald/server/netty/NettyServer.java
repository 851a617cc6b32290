package io.herald.server.netty;

import io.herald.core.HeraldNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NettyRuntime;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Binds the port with epoll when the platform has it (NIO otherwise) and serves REST and WebSocket on it.
 */
// shutdownGracefully runs on its own; close() does not wait for it (the event loops end with the JVM at worst)
@SuppressWarnings("FutureReturnValueIgnored")
public final class NettyServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final String transportName;

    public NettyServer(HeraldNode node, ServerSettings settings) throws InterruptedException {
        this(node, settings, null);
    }

    /**
     * @param metrics answers {@code GET /metrics}, or {@code null} for no metrics endpoint
     */
    public NettyServer(HeraldNode node, ServerSettings settings, @Nullable MetricsEndpoint metrics)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.transportName = epoll ? "epoll" : "nio";
        this.boss = new MultiThreadIoEventLoopGroup(1, io);
        // 0 means one loop per core, as documented; Netty's own default for 0 is two per core, which on a busy
        // machine adds context switches and cross-loop hand-offs (a delivery to a subscriber on another loop)
        int loops = settings.workerThreads() > 0 ? settings.workerThreads() : NettyRuntime.availableProcessors();
        this.workers = new MultiThreadIoEventLoopGroup(loops, io);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new HeraldInitializer(node, settings, metrics));
        this.channel = b.bind(settings.host(), settings.port()).sync().channel();
    }

    /**
     * Does ahead of time, on the calling thread, the one-off work of the first {@code new NettyServer}: the epoll
     * check (loads the native library), the pooled allocator's arenas and the classes of the HTTP and WebSocket
     * pipeline. Start-up calls it on a second thread while the main thread reads the configuration and builds the
     * node, so the two overlap; calling it or not changes nothing but timing.
     */
    public static void warmUp() {
        Epoll.isAvailable();
        io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(64).release();
        new io.netty.handler.codec.http.HttpServerCodec(8192, 16384, 16384);
        new io.netty.handler.codec.http.HttpObjectAggregator(16384);
        new io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory("ws://localhost/", null, true);
        new ServerBootstrap();
        new WriteBufferWaterMark(1, 2);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String transportName() {
        return transportName;
    }

    /** Stops accepting new connections. */
    public void stopAccepting() {
        channel.close().awaitUninterruptibly();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boss.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
