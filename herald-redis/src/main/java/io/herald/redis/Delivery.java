package io.herald.redis;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineListener;
import io.herald.core.internal.Stages;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's channel subscriptions and the delivery of their events to the {@link EngineListener}.
 *
 * <p>The node subscribes to a channel's pub/sub channel only while it has local subscribers. Frames arrive on
 * Lettuce's thread and are handed, unparsed, to a lane (a thread; a channel always maps to the same lane), which
 * decodes and delivers them: one order per channel, never two at once, and Lettuce's event loop never waits.
 *
 * <p>Each subscription remembers the serial of the last event it delivered. A frame that is not the next one
 * (frames lost while the pub/sub connection was down, or dropped because a lane was full) makes the lane read the
 * missing events from the log (one read serves up to {@value #FILL_BATCH} of them) before going on; frames that
 * arrive meanwhile wait. When the pub/sub connection comes back, every subscription is renewed and caught up from the
 * log the same way, so events published while this node was cut off are delivered late but in order, as long as the
 * log still holds them; what the log no longer holds is skipped (and logged), and clients that need it learn of the
 * gap when they resume (lost continuity).
 */
final class Delivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    static final int FILL_BATCH = 1_000;
    private static final int LANE_CAPACITY = 100_000;
    private static final int MAX_HELD = 10_000;

    /** One subscribed channel. Its delivery state is confined to its lane. */
    static final class Sub {
        final ChannelId id;
        final String tag;
        final String name;
        final Lane lane;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile boolean closed;
        /** The log's epoch, {@code null} until the subscription learnt its position. */
        @Nullable
        String epoch;

        long seq;
        boolean filling;
        final ArrayDeque<EventCodec.Frame> held = new ArrayDeque<>();

        Sub(ChannelId id, String tag, String name, Lane lane) {
            this.id = id;
            this.tag = tag;
            this.name = name;
            this.lane = lane;
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed: handed once from Lettuce to a lane
    private record Incoming(String name, byte[] raw) {}

    /** A delivery thread. Frames are bounded (dropping one only delays it: the log fills the gap); tasks are not. */
    final class Lane implements Runnable {
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final AtomicInteger frames = new AtomicInteger();
        private volatile boolean overflow;
        private final Thread thread;

        Lane(int index) {
            thread = new Thread(this, "herald-redis-delivery-" + index);
            thread.setDaemon(true);
        }

        void offer(Incoming in) {
            if (frames.incrementAndGet() > LANE_CAPACITY) {
                frames.decrementAndGet();
                overflow = true;
                return;
            }
            queue.add(in);
        }

        void post(Runnable task) {
            queue.add(task);
        }

        @Override
        public void run() {
            List<Object> batch = new ArrayList<>(256);
            while (!closed) {
                try {
                    batch.add(queue.take());
                    queue.drainTo(batch, 255);
                } catch (InterruptedException e) {
                    return;
                }
                for (Object o : batch) {
                    try {
                        if (o instanceof Incoming in) {
                            frames.decrementAndGet();
                            onFrame(in);
                        } else {
                            ((Runnable) o).run();
                        }
                    } catch (RuntimeException e) {
                        LOG.error("delivery failed", e);
                    }
                }
                batch.clear();
                if (overflow) {
                    overflow = false;
                    LOG.warn(
                            "{}: delivery fell behind, frames were dropped; catching up from the log",
                            thread.getName());
                    for (Sub s : subs.values()) {
                        if (s.lane == this) {
                            catchUp(s);
                        }
                    }
                }
            }
        }
    }

    private final RedisLink link;
    private final RedisKeys keys;
    private final LogReader reader;
    private final Lane[] lanes;
    private final ConcurrentHashMap<String, Sub> subs = new ConcurrentHashMap<>();
    private final java.util.Set<String> strays = ConcurrentHashMap.newKeySet();
    private volatile @Nullable EngineListener listener;
    private volatile boolean closed;

    Delivery(RedisLink link, RedisKeys keys, LogReader reader, int laneCount) {
        this.link = link;
        this.keys = keys;
        this.reader = reader;
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new Lane(i);
        }
    }

    void start(EngineListener l) {
        this.listener = l;
        for (Lane lane : lanes) {
            lane.thread.start();
        }
    }

    /** Runs a task on the first lane (control messages: never on Lettuce's thread, in arrival order). */
    void post(Runnable task) {
        lanes[0].post(task);
    }

    private Lane laneOf(String name) {
        return lanes[(name.hashCode() & 0x7fffffff) % lanes.length];
    }

    /** Whether this node is subscribed to the events channel {@code name}. */
    boolean wants(String name) {
        return subs.containsKey(name);
    }

    Collection<Sub> subscriptions() {
        return subs.values();
    }

    // ---- subscriptions ----

    // the whenComplete stage only repeats what its callback already handled; a failed unsubscribe after a failed
    // subscribe leaves a stray subscription at worst, dropped on its first frame
    @SuppressWarnings("FutureReturnValueIgnored")
    CompletionStage<Void> subscribe(ChannelId id) {
        String tag = RedisKeys.tag(id);
        String name = keys.events(tag);
        Sub sub;
        CompletableFuture<Void> subscribed;
        synchronized (this) {
            Sub existing = subs.get(name);
            if (existing != null) {
                return existing.ready;
            }
            sub = new Sub(id, tag, name, laneOf(name));
            subs.put(name, sub);
            subscribed = link.subscribeEvents(List.of(name));
        }
        subscribed
                .thenCompose(v -> reader.position(tag))
                .whenComplete((slice, t) -> sub.lane.post(() -> {
                    if (t != null) {
                        synchronized (this) {
                            if (subs.remove(name, sub)) {
                                sub.closed = true;
                                link.unsubscribeEvents(List.of(name));
                            }
                        }
                        sub.ready.completeExceptionally(Failures.map(t));
                        return;
                    }
                    if (sub.epoch == null) {
                        sub.epoch = slice.epoch();
                        sub.seq = slice.seq();
                    }
                    sub.ready.complete(null);
                    drainHeld(sub, false);
                }));
        return sub.ready;
    }

    CompletionStage<Void> unsubscribe(ChannelId id) {
        String name = keys.events(RedisKeys.tag(id));
        CompletableFuture<Void> done;
        synchronized (this) {
            Sub sub = subs.remove(name);
            if (sub == null) {
                return Stages.done();
            }
            sub.closed = true;
            done = link.unsubscribeEvents(List.of(name));
        }
        // while Redis is unreachable the pub/sub subscription lapses anyway; a stray one is dropped on its first frame
        return done.exceptionally(t -> null);
    }

    /**
     * After the pub/sub connection came (back) up, or (on a cluster) a node's connection came back or a slot changed
     * masters: subscribes to every channel again (and classically to {@code control}), then catches each one up from
     * the log.
     */
    CompletionStage<Void> renew(String control) {
        CompletableFuture<Void> subscribed;
        CompletableFuture<Void> controlled;
        List<Sub> all;
        synchronized (this) {
            all = new ArrayList<>(subs.values());
            List<String> names = new ArrayList<>(all.size());
            for (Sub s : all) {
                names.add(s.name);
            }
            controlled = link.pubsub(c -> c.subscribe(control));
            subscribed = link.subscribeEvents(names);
        }
        return CompletableFuture.allOf(controlled, subscribed).thenRun(() -> {
            for (Sub s : all) {
                s.lane.post(() -> catchUp(s));
            }
        });
    }

    // ---- delivery, on the lanes ----

    /** A frame from Lettuce's thread. */
    void onMessage(String name, byte[] raw) {
        laneOf(name).offer(new Incoming(name, raw));
    }

    private void onFrame(Incoming in) {
        Sub sub = subs.get(in.name);
        if (sub == null) {
            stray(in.name);
            return;
        }
        List<EventCodec.Frame> frames = EventCodec.Frame.parse(in.raw);
        if (frames == null) {
            LOG.warn("malformed frame on {}", in.name);
            return;
        }
        for (EventCodec.Frame f : frames) {
            onEvent(sub, f);
        }
    }

    private void onEvent(Sub sub, EventCodec.Frame f) {
        if (sub.epoch == null || sub.filling) {
            hold(sub, f);
            return;
        }
        if (!f.epoch().equals(sub.epoch)) {
            newLife(sub, f.epoch());
        }
        if (f.seq() <= sub.seq) {
            return;
        }
        if (f.seq() == sub.seq + 1) {
            deliver(sub, f);
        } else {
            hold(sub, f);
            fill(sub);
        }
    }

    private void hold(Sub sub, EventCodec.Frame f) {
        if (sub.held.size() >= MAX_HELD) {
            sub.held.pollFirst();
        }
        sub.held.addLast(f);
    }

    /** The channel's log was lost and started again under a new epoch: all of the new life is new to this node. */
    private void newLife(Sub sub, String epoch) {
        LOG.warn(
                "channel {}: its log started a new life ({} -> {}); events of the old one may be lost",
                sub.id,
                sub.epoch,
                epoch);
        sub.epoch = epoch;
        sub.seq = 0;
    }

    private void catchUp(Sub sub) {
        if (!sub.closed && sub.epoch != null && !sub.filling) {
            fill(sub);
        }
    }

    /** Reads the events after the last delivered one from the log; frames wait meanwhile. */
    @SuppressWarnings("FutureReturnValueIgnored") // filled() handles the failure the whenComplete stage repeats
    private void fill(Sub sub) {
        LOG.debug("channel {}: reading the log after {}-{}", sub.id, sub.epoch, sub.seq);
        sub.filling = true;
        String epoch = sub.epoch;
        reader.range(sub.tag, "fwd", Long.toString(sub.seq + 1), "+", FILL_BATCH, epoch)
                .whenComplete((slice, t) -> sub.lane.post(() -> filled(sub, epoch, slice, t)));
    }

    // nothing cancels a retry one by one: closing the link stops its timer, and the retry checks the sub is still open
    @SuppressWarnings("FutureReturnValueIgnored")
    private void filled(Sub sub, @Nullable String epoch, LogReader.Slice slice, @Nullable Throwable t) {
        if (sub.closed || closed) {
            return;
        }
        if (t != null) {
            LOG.debug("channel {}: catching up failed ({}), retrying", sub.id, t.toString());
            link.timer()
                    .schedule(
                            () -> sub.lane.post(() -> {
                                if (!sub.closed && sub.filling) {
                                    fill(sub);
                                }
                            }),
                            500,
                            TimeUnit.MILLISECONDS);
            return;
        }
        if (!slice.epoch().equals(epoch)) {
            newLife(sub, slice.epoch());
            if (slice.seq() > 0) {
                fill(sub);
                return;
            }
        } else {
            List<EventCodec.Entry> entries = slice.entries();
            for (EventCodec.Entry e : entries) {
                if (e.seq() > sub.seq) {
                    if (e.seq() != sub.seq + 1) {
                        LOG.warn(
                                "channel {}: events {}..{} are no longer in the log; skipped",
                                sub.id,
                                sub.seq + 1,
                                e.seq() - 1);
                    }
                    deliver(sub, e, slice.epoch());
                }
            }
            if (entries.size() == FILL_BATCH && sub.seq < slice.seq()) {
                fill(sub);
                return;
            }
            if (sub.seq < slice.seq()) {
                LOG.warn(
                        "channel {}: events {}..{} are no longer in the log; skipped",
                        sub.id,
                        sub.seq + 1,
                        slice.seq());
                sub.seq = slice.seq();
            }
        }
        sub.filling = false;
        drainHeld(sub, true);
    }

    /** Delivers the frames that waited; with {@code jump}, a gap the log could not fill is skipped. */
    private void drainHeld(Sub sub, boolean jump) {
        EventCodec.Frame f;
        while ((f = sub.held.pollFirst()) != null) {
            if (!f.epoch().equals(sub.epoch)) {
                newLife(sub, f.epoch());
            }
            if (f.seq() <= sub.seq) {
                continue;
            }
            if (f.seq() != sub.seq + 1 && !jump) {
                sub.held.addFirst(f);
                fill(sub);
                return;
            }
            if (f.seq() != sub.seq + 1) {
                LOG.warn("channel {}: events {}..{} are lost; skipped", sub.id, sub.seq + 1, f.seq() - 1);
            }
            deliver(sub, f);
        }
    }

    private void deliver(Sub sub, EventCodec.Frame f) {
        sub.seq = f.seq();
        ChannelEvent event;
        try {
            event = EventCodec.event(sub.id, f.epoch(), f.seq(), f.dropped(), f.payload());
        } catch (RuntimeException e) {
            LOG.error("channel {}: event {} cannot be decoded; skipped", sub.id, f.seq(), e);
            return;
        }
        emit(event);
    }

    /** Delivers a log entry of {@code epoch} (the subscription's, as the caller checked). */
    private void deliver(Sub sub, EventCodec.Entry e, String epoch) {
        sub.seq = e.seq();
        ChannelEvent event;
        try {
            event = e.event(sub.id, epoch);
        } catch (RuntimeException ex) {
            LOG.error("channel {}: event {} cannot be decoded; skipped", sub.id, e.seq(), ex);
            return;
        }
        emit(event);
    }

    private void emit(ChannelEvent event) {
        EngineListener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.onChannelEvent(event);
        } catch (RuntimeException ex) {
            LOG.error("listener failed on {}", event, ex);
        }
    }

    /** Frames of a channel this node no longer wants (e.g. Lettuce renewed a subscription we dropped). */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback sees the outcome; a failure only lets it try again
    private void stray(String name) {
        if (!strays.add(name)) {
            return;
        }
        synchronized (this) {
            if (subs.containsKey(name)) {
                strays.remove(name);
                return;
            }
            link.unsubscribeEvents(List.of(name)).whenComplete((v, t) -> strays.remove(name));
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Lane lane : lanes) {
            lane.thread.interrupt();
        }
    }
}
