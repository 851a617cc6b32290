package io.herald.core.observe;

import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Per-app usage counters in one-minute buckets, the raw material of {@code GET /stats} (docs/protocol.md §10.6).
 * The hot path (a publish, a delivery, a connection) adds to a {@link LongAdder} of the app's current minute: no lock,
 * no allocation once the minute's bucket exists. A flusher ({@link #drain}) reads what changed since its last call, as
 * deltas for the counters and as the current values for the gauges (peak, min and mean of connections and channels),
 * and hands it on to the engine's stats store. {@link #drain} and {@link #sample} are serialised on this object.
 */
public final class AppStats {

    /** The counters, each under its stats entry name (the leaves; the totals are derived when read). */
    public enum Counter {
        IN_REALTIME_MESSAGES_COUNT(0, "messages.inbound.realtime.messages.count"),
        IN_REALTIME_MESSAGES_DATA(1, "messages.inbound.realtime.messages.data"),
        IN_REALTIME_PRESENCE_COUNT(2, "messages.inbound.realtime.presence.count"),
        IN_REALTIME_PRESENCE_DATA(3, "messages.inbound.realtime.presence.data"),
        IN_REST_MESSAGES_COUNT(4, "messages.inbound.rest.messages.count"),
        IN_REST_MESSAGES_DATA(5, "messages.inbound.rest.messages.data"),
        OUT_REALTIME_MESSAGES_COUNT(6, "messages.outbound.realtime.messages.count"),
        OUT_REALTIME_MESSAGES_DATA(7, "messages.outbound.realtime.messages.data"),
        OUT_REALTIME_PRESENCE_COUNT(8, "messages.outbound.realtime.presence.count"),
        OUT_REALTIME_PRESENCE_DATA(9, "messages.outbound.realtime.presence.data"),
        CONNECTIONS_OPENED(10, "connections.all.opened"),
        CHANNELS_OPENED(11, "channels.opened"),
        API_SUCCEEDED(12, "apiRequests.other.succeeded"),
        API_FAILED(13, "apiRequests.other.failed"),
        TOKEN_SUCCEEDED(14, "apiRequests.tokenRequests.succeeded"),
        TOKEN_FAILED(15, "apiRequests.tokenRequests.failed");

        private final int index;
        private final String entry;

        /** @param index its place in a bucket's array: 0, 1, 2, … in declaration order */
        Counter(int index, String entry) {
            this.index = index;
            this.entry = entry;
        }

        public String entry() {
            return entry;
        }
    }

    /** One app's minute as the flusher hands it on: counter deltas and gauge values, by entry name. */
    public record Flush(String appId, long minute, Map<String, Long> sums, Map<String, Long> gauges) {}

    private static final Counter[] COUNTERS = Counter.values();
    private static final long MINUTE = 60_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, App> apps = new ConcurrentHashMap<>();

    public AppStats(Clock clock) {
        this.clock = clock;
    }

    // ---- the hot path ----

    public void add(String appId, Counter counter, long amount) {
        if (amount != 0) {
            bucket(appId).sums[counter.index].add(amount);
        }
    }

    /** Messages (or presence messages) and their size, in or out, realtime or REST. */
    public void messages(String appId, boolean inbound, boolean rest, boolean presence, int count, long bytes) {
        if (count <= 0) {
            return;
        }
        Counter c;
        Counter d;
        if (inbound && rest) {
            c = Counter.IN_REST_MESSAGES_COUNT;
            d = Counter.IN_REST_MESSAGES_DATA;
        } else if (inbound) {
            c = presence ? Counter.IN_REALTIME_PRESENCE_COUNT : Counter.IN_REALTIME_MESSAGES_COUNT;
            d = presence ? Counter.IN_REALTIME_PRESENCE_DATA : Counter.IN_REALTIME_MESSAGES_DATA;
        } else {
            c = presence ? Counter.OUT_REALTIME_PRESENCE_COUNT : Counter.OUT_REALTIME_MESSAGES_COUNT;
            d = presence ? Counter.OUT_REALTIME_PRESENCE_DATA : Counter.OUT_REALTIME_MESSAGES_DATA;
        }
        Bucket b = bucket(appId);
        b.sums[c.index].add(count);
        b.sums[d.index].add(bytes);
    }

    public void connectionOpened(String appId) {
        App app = app(appId);
        Bucket b = app.bucket(minute());
        long now = app.connections.incrementAndGet();
        b.sums[Counter.CONNECTIONS_OPENED.index].increment();
        b.connections.raise(now);
    }

    public void connectionClosed(String appId) {
        App app = app(appId);
        Bucket b = app.bucket(minute());
        b.connections.lower(app.connections.decrementAndGet());
    }

    public void channelOpened(String appId) {
        App app = app(appId);
        Bucket b = app.bucket(minute());
        long now = app.channels.incrementAndGet();
        b.sums[Counter.CHANNELS_OPENED.index].increment();
        b.channels.raise(now);
    }

    public void channelClosed(String appId) {
        App app = app(appId);
        Bucket b = app.bucket(minute());
        b.channels.lower(app.channels.decrementAndGet());
    }

    public void apiRequest(String appId, boolean succeeded) {
        add(appId, succeeded ? Counter.API_SUCCEEDED : Counter.API_FAILED, 1);
    }

    public void tokenRequest(String appId, boolean succeeded) {
        add(appId, succeeded ? Counter.TOKEN_SUCCEEDED : Counter.TOKEN_FAILED, 1);
    }

    /**
     * The size of a ProtocolMessage's messages or presence messages as Ably counts it (TO3l8): name, clientId, data
     * and extras; strings as UTF-8 bytes, binary data as its length, JSON as its text.
     */
    public static long dataBytes(ProtocolMessage pm) {
        long b = 0;
        if (pm.messages != null) {
            for (Message m : pm.messages) {
                b += utf8(m.name)
                        + utf8(m.clientId)
                        + data(m.data)
                        + (m.extras == null ? 0 : utf8(m.extras.toString()));
            }
        }
        if (pm.presence != null) {
            for (PresenceMessage p : pm.presence) {
                b += utf8(p.clientId) + data(p.data) + (p.extras == null ? 0 : utf8(p.extras.toString()));
            }
        }
        return b;
    }

    private static long data(@Nullable Object d) {
        if (d == null) {
            return 0;
        }
        if (d instanceof byte[] bytes) {
            return bytes.length;
        }
        return utf8(d instanceof String s ? s : d.toString());
    }

    private static long utf8(@Nullable String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    // ---- the flusher ----

    /**
     * Samples the connection and channel levels into each app's current minute (for the mean), opening the minute's
     * bucket for an app that has open connections or channels but no traffic, so its peak shows.
     */
    public synchronized void sample() {
        long minute = minute();
        for (App app : apps.values()) {
            long c = app.connections.get();
            long ch = app.channels.get();
            if (c == 0 && ch == 0 && app.current.minute != minute) {
                continue;
            }
            Bucket b = app.bucket(minute);
            b.connections.sample(c);
            b.channels.sample(ch);
        }
    }

    /**
     * What changed since the last drain, one {@link Flush} per app and minute. A minute that has ended is drained one
     * last time a call after it ended (so adds racing with its end are not lost) and then forgotten. An app's entry
     * (its levels and current bucket, a few hundred bytes) stays for the life of the node: removing it could lose a
     * connection counted at that very moment.
     */
    public synchronized List<Flush> drain() {
        long minute = minute();
        List<Flush> out = new ArrayList<>();
        for (Map.Entry<String, App> e : apps.entrySet()) {
            App app = e.getValue();
            app.bucket(minute); // closes the previous minute if the app was idle since
            for (Bucket b : app.closed) {
                Flush f = b.flush(e.getKey());
                if (f != null) {
                    out.add(f);
                }
                if (b.drainedAfterClose) {
                    app.closed.remove(b);
                }
                b.drainedAfterClose = true;
            }
            Flush f = app.current.flush(e.getKey());
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** The current number of open connections of an app on this node. */
    public long connections(String appId) {
        App app = apps.get(appId);
        return app == null ? 0 : app.connections.get();
    }

    /** The open connections of each app that has any on this node now (a snapshot). */
    public Map<String, Long> connectionsByApp() {
        Map<String, Long> out = new java.util.TreeMap<>();
        apps.forEach((id, app) -> {
            long n = app.connections.get();
            if (n > 0) {
                out.put(id, n);
            }
        });
        return out;
    }

    private long minute() {
        return Math.floorDiv(clock.millis(), MINUTE) * MINUTE;
    }

    private App app(String appId) {
        App app = apps.get(appId);
        return app != null ? app : apps.computeIfAbsent(appId, k -> new App());
    }

    private Bucket bucket(String appId) {
        return app(appId).bucket(minute());
    }

    private static final class App {
        final AtomicLong connections = new AtomicLong();
        final AtomicLong channels = new AtomicLong();
        final ConcurrentLinkedQueue<Bucket> closed = new ConcurrentLinkedQueue<>();
        volatile Bucket current = new Bucket(Long.MIN_VALUE, 0, 0);

        Bucket bucket(long minute) {
            Bucket b = current;
            return b.minute == minute ? b : roll(minute);
        }

        private synchronized Bucket roll(long minute) {
            Bucket b = current;
            if (b.minute >= minute) {
                return b; // another thread rolled it, or the clock went back: keep adding to the newest
            }
            Bucket next = new Bucket(minute, connections.get(), channels.get());
            if (b.minute != Long.MIN_VALUE) {
                closed.add(b);
            }
            current = next;
            return next;
        }
    }

    /** A level (connections or channels) within one minute: peak, min, and the mean of the samples taken. */
    private static final class Level {
        final AtomicLong peak;
        final AtomicLong min;
        final LongAdder sampleSum = new LongAdder();
        final LongAdder samples = new LongAdder();

        Level(long start) {
            peak = new AtomicLong(start);
            min = new AtomicLong(start);
        }

        void raise(long now) {
            peak.accumulateAndGet(now, Math::max);
        }

        void lower(long now) {
            min.accumulateAndGet(Math.max(0, now), Math::min);
        }

        void sample(long now) {
            sampleSum.add(now);
            samples.increment();
        }

        long mean() {
            long n = samples.sum();
            if (n == 0) {
                return Math.round((peak.get() + min.get()) / 2.0);
            }
            return Math.round((double) sampleSum.sum() / n);
        }
    }

    private static final class Bucket {
        final long minute;
        final LongAdder[] sums = new LongAdder[COUNTERS.length];
        final long[] flushed = new long[COUNTERS.length];
        final Level connections;
        final Level channels;
        long[] flushedGauges = new long[0];
        boolean drainedAfterClose;

        Bucket(long minute, long connectionsNow, long channelsNow) {
            this.minute = minute;
            for (int i = 0; i < sums.length; i++) {
                sums[i] = new LongAdder();
            }
            connections = new Level(connectionsNow);
            channels = new Level(channelsNow);
        }

        long[] gauges() {
            return new long[] {
                connections.peak.get(), connections.min.get(), connections.mean(),
                channels.peak.get(), channels.min.get(), channels.mean()
            };
        }

        @Nullable
        Flush flush(String appId) {
            if (minute == Long.MIN_VALUE) {
                return null;
            }
            Map<String, Long> deltas = new LinkedHashMap<>();
            for (int i = 0; i < sums.length; i++) {
                long total = sums[i].sum();
                long delta = total - flushed[i];
                if (delta != 0) {
                    deltas.put(COUNTERS[i].entry(), delta);
                    flushed[i] = total;
                }
            }
            long[] g = gauges();
            boolean gaugesChanged = !java.util.Arrays.equals(g, flushedGauges);
            boolean anyLevel = false;
            for (long v : g) {
                anyLevel |= v != 0;
            }
            if (deltas.isEmpty() && !(gaugesChanged && (anyLevel || flushedGauges.length > 0))) {
                return null;
            }
            Map<String, Long> gauges = new LinkedHashMap<>();
            gauges.put("connections.all.peak", g[0]);
            gauges.put("connections.all.min", g[1]);
            gauges.put("connections.all.mean", g[2]);
            gauges.put("channels.peak", g[3]);
            gauges.put("channels.min", g[4]);
            gauges.put("channels.mean", g[5]);
            flushedGauges = g;
            return new Flush(appId, minute, deltas, gauges);
        }
    }
}
