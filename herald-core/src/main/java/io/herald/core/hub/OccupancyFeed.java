package io.herald.core.hub;

import io.herald.core.engine.ChannelId;
import io.herald.core.engine.OccupancyCounts;
import io.herald.core.engine.OccupancyStore;
import io.herald.core.engine.PresenceStore;
import io.herald.core.internal.Ids;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part of channel occupancy (docs/protocol.md §6.4). It reports the node's attachments per channel to the
 * engine's {@link OccupancyStore} whenever they change, and renews the reports every interval. For channels where a
 * local subscriber attached with the {@code occupancy} param, it reads the cluster-wide counts and the presence set
 * after every local change, presence event and interval, and sends {@code [meta]occupancy} events as
 * {@link OccupancyDebounce} decides; a subscriber that just attached gets the current metrics at once. Everything runs
 * on one thread of its own.
 */
public final class OccupancyFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OccupancyFeed.class);

    private final Hub hub;
    private final OccupancyStore store;
    private final PresenceStore presence;
    private final Clock clock;
    private final long intervalMillis;
    private final @Nullable ChannelLifecycle lifecycle;
    private final ScheduledExecutorService timer;
    private @Nullable ScheduledFuture<?> renewal;
    /** Confined to {@link #timer}. */
    private final Map<ChannelId, ChannelFeed> feeds = new HashMap<>();

    private final class ChannelFeed {
        OccupancyCounts reported = OccupancyCounts.ZERO;
        final OccupancyDebounce debounce = new OccupancyDebounce(intervalMillis);
        /** Subscribers with the param that have had their first event. */
        final Set<Subscriber> greeted = Collections.newSetFromMap(new IdentityHashMap<>());

        long asked;
        long applied;

        @Nullable
        ScheduledFuture<?> pending;

        /** When this node last published {@code channel.occupancy} for the channel, and a trailing one if due. */
        long occupancySentAt = Long.MIN_VALUE / 2;

        @Nullable
        ScheduledFuture<?> occupancyPending;
    }

    public OccupancyFeed(Hub hub, OccupancyStore store, PresenceStore presence, Clock clock, long intervalMillis) {
        this(hub, store, presence, clock, intervalMillis, null);
    }

    /** @param lifecycle where this node's channel activations and deactivations are published, if anywhere */
    public OccupancyFeed(
            Hub hub,
            OccupancyStore store,
            PresenceStore presence,
            Clock clock,
            long intervalMillis,
            @Nullable ChannelLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.hub = hub;
        this.store = store;
        this.presence = presence;
        this.clock = clock;
        this.intervalMillis = intervalMillis;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-occupancy");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening to the hub and renewing every interval. */
    public void start() {
        hub.onChange(channel -> run(() -> changed(channel)));
        renewal = timer.scheduleWithFixedDelay(
                () -> guard(this::tick), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** A presence event on the channel: its member count may have changed. */
    public void presenceChanged(ChannelId channel) {
        run(() -> refresh(channel));
    }

    private void run(Runnable r) {
        try {
            timer.execute(() -> guard(r));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("occupancy task failed", e);
        }
    }

    private void changed(ChannelId channel) {
        Subscriber[] subs = hub.subscribers(channel);
        ChannelFeed f = feeds.computeIfAbsent(channel, c -> new ChannelFeed());
        f.greeted.retainAll(List.of(subs));
        report(channel, f, OccupancyMetrics.local(subs), false);
        refresh(channel);
        if (subs.length == 0 && f.reported.isZero() && f.pending == null) {
            feeds.remove(channel);
        }
    }

    private void report(ChannelId channel, ChannelFeed f, OccupancyCounts local, boolean renew) {
        if (local.equals(f.reported) && !(renew && !local.isZero())) {
            return;
        }
        boolean wasActive = !f.reported.isZero();
        f.reported = local;
        CompletionStage<Void> reported = store.report(channel, local).whenComplete((v, t) -> {
            if (t != null) {
                LOG.warn("occupancy report for {} failed: {}", channel, t.toString());
            }
        });
        ChannelLifecycle l = lifecycle;
        if (l != null && wasActive == local.isZero()) {
            CompletionStage<Void> unused = l.transition(channel, local, !wasActive, reported);
        } else if (l != null && !renew) {
            occupancyChanged(l, channel, f, reported);
        }
    }

    /**
     * The channel stays active here but its counts changed: {@code channel.occupancy} at once if none went out in the
     * last interval, else one trailing event at the end of it with the counts of then.
     */
    private void occupancyChanged(
            ChannelLifecycle l, ChannelId channel, ChannelFeed f, CompletionStage<Void> reported) {
        if (f.occupancyPending != null) {
            return;
        }
        long now = clock.millis();
        long wait = f.occupancySentAt + intervalMillis - now;
        if (wait <= 0) {
            f.occupancySentAt = now;
            CompletionStage<Void> unused = l.occupancy(channel, reported);
            return;
        }
        f.occupancyPending = timer.schedule(
                () -> guard(() -> {
                    f.occupancyPending = null;
                    if (!f.reported.isZero()) {
                        f.occupancySentAt = clock.millis();
                        CompletionStage<Void> unused = l.occupancy(channel, CompletableFuture.completedFuture(null));
                    }
                }),
                wait,
                TimeUnit.MILLISECONDS);
    }

    /** Every interval: renew this node's reports and re-read the counts where someone listens. */
    private void tick() {
        for (ChannelId channel : hub.channels()) {
            ChannelFeed f = feeds.computeIfAbsent(channel, c -> new ChannelFeed());
            report(channel, f, OccupancyMetrics.local(hub.subscribers(channel)), true);
            refresh(channel);
        }
        feeds.entrySet()
                .removeIf(e -> hub.subscribers(e.getKey()).length == 0
                        && e.getValue().reported.isZero()
                        && e.getValue().pending == null);
    }

    private static boolean anyListener(Subscriber[] subs) {
        for (Subscriber s : subs) {
            if (s.occupancyParam() != null) {
                return true;
            }
        }
        return false;
    }

    /** Reads the cluster-wide metrics of a channel someone listens on, then sends what is due. */
    private void refresh(ChannelId channel) {
        ChannelFeed f = feeds.get(channel);
        if (f == null || !anyListener(hub.subscribers(channel))) {
            return;
        }
        long ask = ++f.asked;
        CompletableFuture<OccupancyCounts> total = store.total(channel).toCompletableFuture();
        CompletableFuture<Integer> members =
                presence.members(channel).thenApply(s -> s.members().size()).toCompletableFuture();
        CompletableFuture<Void> unused = total.thenCombine(members, OccupancyMetrics::of)
                .handle((metrics, t) -> {
                    if (t != null) {
                        LOG.debug("occupancy of {} not read: {}", channel, t.toString());
                    } else {
                        run(() -> apply(channel, ask, metrics));
                    }
                    return null;
                });
    }

    private void apply(ChannelId channel, long ask, Map<String, Integer> metrics) {
        ChannelFeed f = feeds.get(channel);
        if (f == null || ask < f.applied) {
            return;
        }
        f.applied = ask;
        Subscriber[] subs = hub.subscribers(channel);
        long now = clock.millis();
        long delay = f.debounce.offer(metrics, now);
        if (delay == 0) {
            f.debounce.sent(metrics, now);
            send(channel, f, subs, metrics, false);
            return;
        }
        send(channel, f, subs, metrics, true);
        if (delay > 0 && f.pending == null) {
            f.pending = timer.schedule(
                    () -> guard(() -> {
                        f.pending = null;
                        refresh(channel);
                    }),
                    delay,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Sends the metrics to every listening subscriber, or only to those that have not had an event yet. */
    private void send(
            ChannelId channel, ChannelFeed f, Subscriber[] subs, Map<String, Integer> metrics, boolean onlyNew) {
        long now = clock.millis();
        String id = Ids.urlSafe(10);
        for (Subscriber s : subs) {
            String param = s.occupancyParam();
            if (param == null || (onlyNew && f.greeted.contains(s))) {
                continue;
            }
            f.greeted.add(s);
            ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel.name());
            pm.id = id;
            pm.timestamp = now;
            Message m = new Message();
            m.id = id + ":0";
            m.name = OccupancyMetrics.EVENT_NAME;
            m.timestamp = now;
            m.encoding = "json";
            m.data = OccupancyMetrics.eventData(metrics, param);
            pm.messages = new java.util.ArrayList<>(List.of(m));
            s.executor().execute(() -> s.deliverOccupancy(pm));
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> r = renewal;
        if (r != null) {
            r.cancel(false);
        }
        timer.shutdownNow();
    }
}
