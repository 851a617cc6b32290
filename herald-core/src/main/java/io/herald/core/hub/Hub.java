package io.herald.core.hub;

import io.herald.core.engine.Broker;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.internal.Stages;
import io.herald.core.observe.AppStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local subscribers per channel, and the node's subscription to each channel in the broker.
 */
public final class Hub {
    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    private static final Subscriber[] NONE = new Subscriber[0];

    private static final class Entry {
        volatile Subscriber[] subscribers = NONE;
        /** The subscribers grouped by executor, rebuilt on every change: one task per executor per event. */
        volatile Group[] groups = new Group[0];
        /** Completes when the node is subscribed in the broker. */
        CompletionStage<Void> subscribed = Stages.done();
    }

    /** A class, not a record: a record's equals would compare the array by identity. */
    private static final class Group {
        private final Executor executor;
        private final Subscriber[] members;

        Group(Executor executor, Subscriber[] members) {
            this.executor = executor;
            this.members = members;
        }

        Executor executor() {
            return executor;
        }

        Subscriber[] members() {
            return members;
        }
    }

    private static Group[] group(Subscriber[] subscribers) {
        Map<Executor, List<Subscriber>> by = new LinkedHashMap<>();
        for (Subscriber s : subscribers) {
            by.computeIfAbsent(s.executor(), k -> new ArrayList<>()).add(s);
        }
        Group[] out = new Group[by.size()];
        int i = 0;
        for (Map.Entry<Executor, List<Subscriber>> e : by.entrySet()) {
            out[i++] = new Group(e.getKey(), e.getValue().toArray(NONE));
        }
        return out;
    }

    private final Broker broker;
    private final ConcurrentHashMap<ChannelId, Entry> channels = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<ChannelId> onChange = c -> {};

    private final @org.jspecify.annotations.Nullable AppStats stats;

    public Hub(Broker broker) {
        this(broker, null);
    }

    /** A hub that counts the channels it opens and closes in the apps' usage statistics. */
    public Hub(Broker broker, @org.jspecify.annotations.Nullable AppStats stats) {
        this.broker = broker;
        this.stats = stats;
    }

    /**
     * Adds a subscriber. The stage completes once the node receives the channel's events, so a position read after
     * it sees every later event arrive at the subscriber.
     */
    public CompletionStage<Void> add(ChannelId channel, Subscriber subscriber) {
        while (true) {
            Entry e = channels.computeIfAbsent(channel, c -> new Entry());
            synchronized (e) {
                if (channels.get(channel) != e) {
                    continue;
                }
                Subscriber[] old = e.subscribers;
                for (Subscriber s : old) {
                    if (s == subscriber) {
                        return e.subscribed;
                    }
                }
                Subscriber[] next = Arrays.copyOf(old, old.length + 1);
                next[old.length] = subscriber;
                e.subscribers = next;
                e.groups = group(next);
                if (old.length == 0) {
                    if (stats != null) {
                        stats.channelOpened(channel.appId());
                    }
                    e.subscribed = Stages.guard(() -> broker.subscribe(channel)).toCompletableFuture();
                }
                onChange.accept(channel);
                return e.subscribed;
            }
        }
    }

    /** Removes a subscriber; the last one out unsubscribes the node. */
    public void remove(ChannelId channel, Subscriber subscriber) {
        Entry e = channels.get(channel);
        if (e == null) {
            return;
        }
        synchronized (e) {
            Subscriber[] old = e.subscribers;
            int i = indexOf(old, subscriber);
            if (i < 0) {
                return;
            }
            if (old.length == 1) {
                e.subscribers = NONE;
                e.groups = new Group[0];
                channels.remove(channel, e);
                if (stats != null) {
                    stats.channelClosed(channel.appId());
                }
                Stages.guard(() -> broker.unsubscribe(channel)).whenComplete((v, t) -> {
                    if (t != null) {
                        LOG.warn("unsubscribe {} failed: {}", channel, t.toString());
                    }
                });
                onChange.accept(channel);
                return;
            }
            Subscriber[] next = new Subscriber[old.length - 1];
            System.arraycopy(old, 0, next, 0, i);
            System.arraycopy(old, i + 1, next, i, old.length - i - 1);
            e.subscribers = next;
            e.groups = group(next);
        }
        onChange.accept(channel);
    }

    /**
     * Who hears when a channel's subscribers change (added, removed, or {@link #touched}). It runs on the thread that
     * made the change and must only queue work.
     */
    public void onChange(java.util.function.Consumer<ChannelId> listener) {
        this.onChange = listener;
    }

    /** A subscriber of the channel changed how it counts (e.g. its modes narrowed). */
    public void touched(ChannelId channel) {
        onChange.accept(channel);
    }

    /** The channel's local subscribers now (a snapshot). */
    public Subscriber[] subscribers(ChannelId channel) {
        Entry e = channels.get(channel);
        return e == null ? NONE : e.subscribers;
    }

    /** The channels with at least one local subscriber now. */
    public java.util.Set<ChannelId> channels() {
        return java.util.Set.copyOf(channels.keySet());
    }

    private static int indexOf(Subscriber[] arr, Subscriber s) {
        for (int i = 0; i < arr.length; i++) {
            if (arr[i] == s) {
                return i;
            }
        }
        return -1;
    }

    /** Fans an event out to the channel's local subscribers: one task per executor, delivering to all of its own. */
    public void dispatch(ChannelEvent event) {
        Entry e = channels.get(event.channel());
        if (e == null) {
            return;
        }
        for (Group g : e.groups) {
            Subscriber[] members = g.members();
            g.executor().execute(() -> {
                for (Subscriber s : members) {
                    try {
                        s.deliver(event);
                    } catch (RuntimeException ex) {
                        LOG.error("subscriber failed on {}", event, ex);
                    }
                }
            });
        }
    }

    /** Local subscribers of a channel. */
    public int subscriberCount(ChannelId channel) {
        Entry e = channels.get(channel);
        return e == null ? 0 : e.subscribers.length;
    }

    /** The local subscribers of each channel that has any now (a snapshot). */
    public Map<ChannelId, Integer> subscriberCounts() {
        Map<ChannelId, Integer> out = new java.util.HashMap<>();
        channels.forEach((id, e) -> {
            int n = e.subscribers.length;
            if (n > 0) {
                out.put(id, n);
            }
        });
        return out;
    }

    /** Channels with at least one local subscriber. */
    public int channelCount() {
        return channels.size();
    }
}
