package io.herald.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.EventExecutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A load generator process. The suite runner drives it over stdin/stdout, one command per line ({@code name k=v ...})
 * and one answer per line ({@code OK k=v ...} or {@code ERR message}); logs go to stderr. Keeping generators in their
 * own processes keeps them off the server's heap and within the per-process file-descriptor limit (15,000 idle
 * connections are split over two workers).
 *
 * <pre>
 * target kind=ABLY|SIO|BARE port=P [host=127.0.0.1] [key=appId.keyId:secret]
 * tokens n=N [offset=0] [ttl=ms]             (fetch tokens now for the next open)
 * open role=sub|pub|ring|idle n=N channel=NAME [offset=0] [total=N] [groups=1] [concurrency=200] [ttl=ms] [port=P]
 * run rate=MSGS_PER_S seconds=S [step=N] [drain=S] [quiet=S] [acks=true] (acks: also wait for the ACKs of the step)
 * reauth [concurrency=64] [ttl=ms]
 * http seconds=S [warmup=S] [conns=16] [path=/keys/KEYNAME/requestToken]
 * close
 * quit
 * </pre>
 */
public final class Worker {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind {
        ABLY,
        SIO,
        BARE
    }

    private final MultiThreadIoEventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final IdentityHashMap<EventExecutor, LoopStats> stats = new IdentityHashMap<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Conn> conns = new ArrayList<>();
    private final Map<String, Integer> subscribers = new HashMap<>();
    /** The kind of server of the last {@code target}; null before the first. */
    private @Nullable Kind kind;
    /** Tokens fetched ahead of an open (so a memory baseline can be taken between the two). */
    private @Nullable List<String[]> prefetched;

    private String host = "127.0.0.1";
    private int port;
    /** The key TokenRequests are signed with; null when the target was given none. */
    private @Nullable ApiKey key;

    private final Clock clock = Clock.systemUTC();

    Worker(int threads) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(threads, io);
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
            stats.put(e, new LoopStats());
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--threads")) {
                threads = Integer.parseInt(args[++i]);
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Worker w = new Worker(threads);
        out.println("OK ready pid=" + ProcessHandle.current().pid() + " threads=" + threads);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    a.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            if (parts[0].equals("quit")) {
                w.closeAll();
                out.println("OK bye");
                break;
            }
            String answer;
            try {
                answer = "OK " + w.execute(parts[0], a);
            } catch (Exception e) {
                e.printStackTrace();
                answer = "ERR " + String.valueOf(e.getMessage()).replace('\n', ' ');
            }
            out.println(answer);
        }
        w.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        System.exit(0);
    }

    private String execute(String cmd, Map<String, String> a) throws Exception {
        return switch (cmd) {
            case "target" -> target(a);
            case "tokens" -> tokens(a);
            case "open" -> open(a);
            case "run" -> run(a);
            case "reauth" -> reauth(a);
            case "http" -> http(a);
            case "close" -> closeAll();
            default -> throw new IllegalArgumentException("unknown command " + cmd);
        };
    }

    private String target(Map<String, String> a) {
        closeAll();
        prefetched = null;
        kind = Kind.valueOf(required(a, "kind"));
        host = a.getOrDefault("host", "127.0.0.1");
        port = Integer.parseInt(required(a, "port"));
        key = a.containsKey("key") ? ApiKey.parse(a.get("key")) : null;
        return "kind=" + kind;
    }

    // ---- connections ----

    @SuppressWarnings("FutureReturnValueIgnored") // the whenComplete callback only counts; it cannot fail
    private String open(Map<String, String> a) throws Exception {
        String role = required(a, "role");
        int n = Integer.parseInt(required(a, "n"));
        String channel = a.getOrDefault("channel", "bench");
        int offset = Integer.parseInt(a.getOrDefault("offset", "0"));
        int total = Integer.parseInt(a.getOrDefault("total", String.valueOf(n)));
        int groups = Integer.parseInt(a.getOrDefault("groups", "1"));
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "200"));
        long ttl = Long.parseLong(a.getOrDefault("ttl", "3600000"));
        // another node of the same cluster (same key): the tokens still come from the target
        int connectTo = Integer.parseInt(a.getOrDefault("port", String.valueOf(port)));
        long t0 = System.nanoTime();
        List<String[]> tokens = List.of();
        if (kind == Kind.ABLY) {
            if (prefetched != null && prefetched.size() >= n) {
                tokens = prefetched;
                prefetched = null;
            } else {
                tokens = fetchTokens(n, offset, ttl, Math.min(16, n));
            }
        }
        long tokenNanos = System.nanoTime() - t0;
        Semaphore inFlight = new Semaphore(concurrency);
        List<Conn> opening = new ArrayList<>(n);
        AtomicInteger failed = new AtomicInteger();
        String[] firstError = {null};
        for (int i = 0; i < n; i++) {
            int g = offset + i;
            // groups > 1: connection g subscribes or publishes to channel-(g % groups) instead of the one channel
            String sub = switch (role) {
                case "sub" -> groups > 1 ? channel + "-" + (g % groups) : channel;
                case "ring" -> channel + "-" + g;
                case "idle" -> channel + "-" + (g % groups);
                default -> null;
            };
            String pub = switch (role) {
                case "pub" -> groups > 1 ? channel + "-" + (g % groups) : channel;
                case "ring" -> channel + "-" + ((g + 1) % total);
                default -> null;
            };
            Conn c = switch (kind()) {
                case ABLY -> new AblyConn(g, sub, pub, tokens.get(i)[0], tokens.get(i)[1]);
                case SIO -> new SioConn(g, sub, pub);
                case BARE -> new BareConn(g, sub, pub);
            };
            inFlight.acquire();
            connect(c, connectTo);
            c.ready.whenComplete((ok, err) -> {
                inFlight.release();
                if (err != null) {
                    failed.incrementAndGet();
                    synchronized (firstError) {
                        if (firstError[0] == null) {
                            firstError[0] = err.getMessage();
                        }
                    }
                }
            });
            opening.add(c);
        }
        try {
            CompletableFuture.allOf(opening.stream().map(c -> c.ready).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            // counted per connection above
        }
        int opened = 0;
        for (Conn c : opening) {
            if (c.ready.isDone() && !c.ready.isCompletedExceptionally()) {
                conns.add(c);
                opened++;
                if (c.sub != null) {
                    subscribers.merge(c.sub, 1, Integer::sum);
                }
            } else {
                c.close();
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return "opened=" + opened + " failed=" + (n - opened) + " ms=" + ms + " tokenMs=" + tokenNanos / 1_000_000
                + " open=" + conns.size() + (firstError[0] == null ? "" : " error=" + word(firstError[0]));
    }

    private String tokens(Map<String, String> a) throws Exception {
        int n = Integer.parseInt(required(a, "n"));
        long t0 = System.nanoTime();
        prefetched = fetchTokens(
                n,
                Integer.parseInt(a.getOrDefault("offset", "0")),
                Long.parseLong(a.getOrDefault("ttl", "3600000")),
                Math.min(16, n));
        return "n=" + prefetched.size() + " ms=" + (System.nanoTime() - t0) / 1_000_000;
    }

    private void connect(Conn c, int port) {
        URI uri = URI.create("ws://" + host + ":" + port + c.path());
        c.handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE, 1 << 20);
        new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        c.stats = statsOf(ch.eventLoop());
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65_536), c);
                    }
                })
                .connect(host, port)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        c.ready.completeExceptionally(new IllegalStateException("connect: " + f.cause()));
                    }
                });
    }

    private String closeAll() {
        int n = conns.size();
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (Conn c : conns) {
            if (c.channel != null) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                c.channel.eventLoop().execute(c::close);
                c.channel.closeFuture().addListener(x -> f.complete(null));
                closed.add(f);
            }
        }
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // report what is left
        }
        conns.clear();
        subscribers.clear();
        return "closed=" + n;
    }

    /** n tokens (token, clientId) from requestToken, each for its own clientId. */
    private List<String[]> fetchTokens(int n, int offset, long ttl, int httpConns) throws Exception {
        ApiKey signer = requireKey("tokens");
        AtomicInteger next = new AtomicInteger(offset);
        Supplier<byte[]> bodies = () -> TokenRequests.create(
                        signer,
                        new TokenParams()
                                .withClientId("bench-" + next.getAndIncrement())
                                .withTtl(ttl),
                        clock)
                .toJson()
                .getBytes(StandardCharsets.UTF_8);
        HttpLoad.Result r =
                new HttpLoad(group, channelType, host, port).run(tokenPath(), httpConns, bodies, n, 0, true, null);
        if (r.bodies().size() < n) {
            throw new IllegalStateException("got " + r.bodies().size() + " of " + n + " tokens: " + r.lastError());
        }
        List<String[]> tokens = new ArrayList<>(n);
        for (String body : r.bodies()) {
            var details = JSON.readTree(body);
            tokens.add(new String[] {
                details.get("token").asText(), details.get("clientId").asText()
            });
        }
        return tokens;
    }

    private String tokenPath() {
        return "/keys/" + (key == null ? "bench.none" : key.keyName()) + "/requestToken";
    }

    // ---- publishing at a rate ----

    /** Publishes on one loop: its share of the rate over its publishers, round robin, on a 1 ms tick. */
    private final class Ticker implements Runnable {
        final List<Conn> pubs;
        final double rate;
        final long start;
        final long end;
        /** Messages due in [start, end): message n is due at start + n / rate. */
        final long total;

        final CountDownLatch done;
        long n;
        long expected;
        int rr;
        /** The fixed-rate schedule of this ticker, until it cancels itself at the end. */
        io.netty.util.concurrent.@Nullable ScheduledFuture<?> future;

        Ticker(List<Conn> pubs, double rate, long start, long end, CountDownLatch done) {
            this.pubs = pubs;
            this.rate = rate;
            this.start = start;
            this.end = end;
            this.total = (long) Math.ceil((end - start) * rate / 1e9);
            this.done = done;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            while (n < total) {
                long dueAt = start + (long) (n * 1e9 / rate);
                if (dueAt > now) {
                    break;
                }
                Conn c = pubs.get(rr);
                rr = rr + 1 == pubs.size() ? 0 : rr + 1;
                if (c.channel().isActive()) {
                    c.publish(dueAt);
                    expected += subscribers.getOrDefault(c.pub, 0);
                }
                n++;
            }
            if (now >= end && future != null) {
                future.cancel(false);
                future = null;
                done.countDown();
            }
        }
    }

    private String run(Map<String, String> a) throws Exception {
        double rate = Double.parseDouble(required(a, "rate"));
        double seconds = Double.parseDouble(required(a, "seconds"));
        double drainSeconds = Double.parseDouble(a.getOrDefault("drain", "3"));
        long quietNanos = (long) (Double.parseDouble(a.getOrDefault("quiet", "0.3")) * 1e9);
        boolean waitAcks = Boolean.parseBoolean(a.getOrDefault("acks", "false"));
        Map<EventLoop, List<Conn>> byLoop = new LinkedHashMap<>();
        int pubCount = 0;
        for (Conn c : conns) {
            if (c.pub != null && c.channel != null && c.channel.isActive()) {
                byLoop.computeIfAbsent(c.channel.eventLoop(), k -> new ArrayList<>())
                        .add(c);
                pubCount++;
            }
        }
        int stepId = Integer.parseInt(a.getOrDefault("step", "0")) & 0xff;
        // a server still sending an earlier step's backlog would steal this step's time: wait until it is quiet
        long quietSince = System.nanoTime();
        long seen = -1;
        long waitEnd = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < waitEnd) {
            long any = sum(s -> s.any);
            if (any != seen) {
                seen = any;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 200_000_000L) {
                break;
            }
            Thread.sleep(20);
        }
        onLoops(s -> {
            s.reset();
            s.step = stepId;
        });
        long cpu0 = cpuNanos();
        long start = System.nanoTime() + 20_000_000L;
        long end = start + (long) (seconds * 1e9);
        // a worker with no publishers only receives (the other half of a fan-out split over two processes)
        CountDownLatch done = new CountDownLatch(byLoop.size());
        List<Ticker> tickers = new ArrayList<>();
        for (Map.Entry<EventLoop, List<Conn>> e : byLoop.entrySet()) {
            Ticker t = new Ticker(e.getValue(), rate * e.getValue().size() / pubCount, start, end, done);
            tickers.add(t);
            e.getKey()
                    .execute(() -> t.future = e.getKey()
                            .scheduleAtFixedRate(
                                    t, Math.max(0, start - System.nanoTime()), 1_000_000L, TimeUnit.NANOSECONDS));
        }
        if (!done.await((long) (seconds + 30), TimeUnit.SECONDS)) {
            throw new IllegalStateException("publishing did not finish");
        }
        if (byLoop.isEmpty()) {
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        }
        long expected = 0;
        long sent = 0;
        for (int i = 0; i < tickers.size(); i++) {
            Ticker t = tickers.get(i);
            long[] v = onLoop(new ArrayList<>(byLoop.keySet()).get(i), () -> new long[] {t.expected, t.n});
            expected += v[0];
            sent += v[1];
        }
        // drain: wait for what is in flight; stop when all expected arrived, after `quiet` without progress, or
        // after drainSeconds
        long drainEnd = System.nanoTime() + (long) (drainSeconds * 1e9);
        long last = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < drainEnd) {
            long received = sum(s -> s.received);
            long answered = waitAcks ? sum(s -> s.ackedOfStep + s.nacks) : sent;
            if (pubCount > 0 && received >= expected && answered >= sent) {
                break;
            }
            received += waitAcks ? answered : 0; // progress: deliveries or answers
            if (received != last) {
                last = received;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > quietNanos) {
                break;
            }
            Thread.sleep(20);
        }
        long cpu = cpuNanos() - cpu0;
        Histogram h = new Histogram(60_000_000_000L, 3);
        Histogram ackH = new Histogram(60_000_000_000L, 3);
        long[] totals = new long[10];
        String[] lastError = {null};
        for (EventLoop loop : loops) {
            onLoop(loop, () -> {
                LoopStats s = statsOf(loop);
                h.add(s.latency);
                totals[0] += s.received;
                totals[1] += s.sent;
                totals[2] += s.acks;
                totals[3] += s.nacks;
                totals[4] += s.errors;
                totals[5] += s.closed;
                totals[6] = Math.max(totals[6], s.lastAt - start);
                totals[7] += s.stale;
                ackH.add(s.ackLatency);
                totals[8] += s.ackedOfStep;
                totals[9] = Math.max(totals[9], s.lastAckAt == 0 ? 0 : s.lastAckAt - start);
                if (s.lastError != null) {
                    lastError[0] = s.lastError;
                }
                return null;
            });
        }
        long received = totals[0];
        // delivery window: from the first due time to the last delivery (at least the publishing time)
        long window = Math.max(end - start, totals[6]);
        return "sent=" + sent + " expected=" + expected + " received=" + received + " acks=" + totals[2]
                + " nacks=" + totals[3] + " errors=" + totals[4] + " closed=" + totals[5] + " stale=" + totals[7]
                + " windowMs=" + window / 1_000_000 + " cpuMs=" + cpu / 1_000_000
                + " p50us=" + h.getValueAtPercentile(50) / 1000 + " p99us=" + h.getValueAtPercentile(99) / 1000
                + " p999us=" + h.getValueAtPercentile(99.9) / 1000 + " maxus=" + h.getMaxValue() / 1000
                + " acked=" + totals[8] + " ackWindowMs=" + Math.max(end - start, totals[9]) / 1_000_000
                + (lastError[0] == null ? "" : " error=" + word(lastError[0])) + " hist=" + encode(h)
                + " ackhist=" + encode(ackH);
    }

    // ---- reauth storm ----

    @SuppressWarnings("FutureReturnValueIgnored") // the whenComplete callbacks only count; they cannot fail
    private String reauth(Map<String, String> a) throws Exception {
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "64"));
        long ttl = Long.parseLong(a.getOrDefault("ttl", "3600000"));
        List<Conn> targets = new ArrayList<>(conns);
        int n = targets.size();
        Histogram h = new Histogram(60_000_000_000L, 3);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        String[] lastError = {null};
        CountDownLatch done = new CountDownLatch(n);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        if (kind == Kind.ABLY) {
            // every connection fetches a new token (requestToken) and sends AUTH on its socket as soon as it has it;
            // at most `concurrency` token requests are in flight, as many browsers renewing at the same moment
            ApiKey signer = requireKey("reauth");
            AtomicInteger nextBody = new AtomicInteger();
            Map<String, AblyConn> byClientId = new HashMap<>();
            for (Conn c : targets) {
                byClientId.put(((AblyConn) c).clientId, (AblyConn) c);
            }
            Supplier<byte[]> bodies = () -> {
                int i = nextBody.getAndIncrement();
                return TokenRequests.create(
                                signer,
                                new TokenParams()
                                        .withClientId(((AblyConn) targets.get(i)).clientId)
                                        .withTtl(ttl),
                                clock)
                        .toJson()
                        .getBytes(StandardCharsets.UTF_8);
            };
            HttpLoad.Result r = new HttpLoad(group, channelType, host, port)
                    .run(tokenPath(), concurrency, bodies, n, 0, false, body -> {
                        AblyConn c;
                        String token;
                        try {
                            var details = JSON.readTree(body);
                            token = details.get("token").asText();
                            c = byClientId.get(details.get("clientId").asText());
                        } catch (Exception e) {
                            c = null;
                            token = null;
                        }
                        if (c == null || token == null) {
                            failed.incrementAndGet();
                            done.countDown();
                            return;
                        }
                        AblyConn conn = c;
                        String newToken = token;
                        conn.channel()
                                .eventLoop()
                                .execute(() -> conn.reauth(newToken).whenComplete((at, err) -> {
                                    if (err != null) {
                                        failed.incrementAndGet();
                                        lastError[0] = err.getMessage();
                                    } else {
                                        ok.incrementAndGet();
                                        synchronized (h) {
                                            h.recordValue(at - t0);
                                        }
                                    }
                                    done.countDown();
                                }));
                    });
            for (long i = r.requests(); i < n; i++) {
                failed.incrementAndGet();
                done.countDown();
            }
            if (r.lastError() != null) {
                lastError[0] = r.lastError();
            }
        } else if (kind == Kind.SIO) {
            // Socket.IO has no in-band re-authentication: a client with new credentials reconnects and rejoins
            Semaphore inFlight = new Semaphore(concurrency);
            List<Conn> replaced = new ArrayList<>(n);
            for (Conn old : targets) {
                inFlight.acquire();
                old.channel().eventLoop().execute(old::close);
                Conn c = new SioConn(old.index, old.sub, old.pub);
                connect(c, port);
                replaced.add(c);
                c.ready.whenComplete((x, err) -> {
                    inFlight.release();
                    if (err != null) {
                        failed.incrementAndGet();
                        lastError[0] = err.getMessage();
                    } else {
                        ok.incrementAndGet();
                        long at = System.nanoTime();
                        synchronized (h) {
                            h.recordValue(at - t0);
                        }
                    }
                    done.countDown();
                });
            }
            conns.clear();
            conns.addAll(replaced);
        } else {
            throw new IllegalStateException("the bare server has no credentials to renew");
        }
        done.await(120, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        long cpu = cpuNanos() - cpu0;
        return "n=" + n + " ok=" + ok.get() + " failed=" + (n - ok.get()) + " ms=" + elapsed / 1_000_000
                + " cpuMs=" + cpu / 1_000_000 + " p50us=" + h.getValueAtPercentile(50) / 1000
                + " p99us=" + h.getValueAtPercentile(99) / 1000 + " maxus=" + h.getMaxValue() / 1000
                + (lastError[0] == null ? "" : " error=" + word(lastError[0])) + " hist=" + encode(h);
    }

    // ---- HTTP: requestToken against Herald, the same POST against the bare endpoint ----

    private String http(Map<String, String> a) throws Exception {
        double seconds = Double.parseDouble(required(a, "seconds"));
        double warmup = Double.parseDouble(a.getOrDefault("warmup", "0"));
        int httpConns = Integer.parseInt(a.getOrDefault("conns", "16"));
        String path = a.getOrDefault("path", tokenPath());
        ApiKey signer = requireKey("http");
        AtomicInteger next = new AtomicInteger();
        Supplier<byte[]> bodies = () -> TokenRequests.create(
                        signer,
                        new TokenParams()
                                .withClientId("http-" + (next.getAndIncrement() & 0xffff))
                                .withTtl(3_600_000L),
                        clock)
                .toJson()
                .getBytes(StandardCharsets.UTF_8);
        HttpLoad load = new HttpLoad(group, channelType, host, port);
        if (warmup > 0) {
            load.run(path, httpConns, bodies, 0, (long) (warmup * 1e9), false, null);
        }
        long cpu0 = cpuNanos();
        HttpLoad.Result r = load.run(path, httpConns, bodies, 0, (long) (seconds * 1e9), false, null);
        long cpu = cpuNanos() - cpu0;
        Histogram h = r.latency();
        return "requests=" + r.requests() + " errors=" + r.errors() + " ms=" + r.elapsedNanos() / 1_000_000
                + " cpuMs=" + cpu / 1_000_000 + " p50us=" + h.getValueAtPercentile(50) / 1000
                + " p99us=" + h.getValueAtPercentile(99) / 1000 + " p999us=" + h.getValueAtPercentile(99.9) / 1000
                + " maxus=" + h.getMaxValue() / 1000
                + (r.lastError() == null ? "" : " error=" + word(r.lastError())) + " hist=" + encode(h);
    }

    // ---- helpers ----

    /** A command argument without a default. */
    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing " + name + "=");
        }
        return v;
    }

    /** The kind of server of the last {@code target}. */
    private Kind kind() {
        if (kind == null) {
            throw new IllegalStateException("no target yet");
        }
        return kind;
    }

    private ApiKey requireKey(String command) {
        if (key == null) {
            throw new IllegalStateException(command + " needs a key to sign TokenRequests with");
        }
        return key;
    }

    /** The counters of a loop of the group (every loop has its own from the start). */
    private LoopStats statsOf(EventExecutor loop) {
        return Objects.requireNonNull(stats.get(loop), "not a loop of this worker");
    }

    private <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    private void onLoops(java.util.function.Consumer<LoopStats> action) throws Exception {
        for (EventLoop loop : loops) {
            onLoop(loop, () -> {
                action.accept(statsOf(loop));
                return null;
            });
        }
    }

    private long sum(java.util.function.ToLongFunction<LoopStats> f) throws Exception {
        long total = 0;
        for (EventLoop loop : loops) {
            total += onLoop(loop, () -> f.applyAsLong(statsOf(loop)));
        }
        return total;
    }

    private static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), len));
    }

    /** A value safe for the one-line answer format. */
    private static String word(String s) {
        String w = s.replaceAll("\\s+", "_");
        return w.isEmpty() ? "?" : w.length() > 200 ? w.substring(0, 200) : w;
    }
}
