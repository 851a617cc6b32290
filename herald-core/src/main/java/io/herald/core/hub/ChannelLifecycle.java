package io.herald.core.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.engine.Broker;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.OccupancyCounts;
import io.herald.core.engine.OccupancyStore;
import io.herald.core.engine.PresenceStore;
import io.herald.core.engine.PublishRequest;
import io.herald.core.internal.Ids;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel lifecycle events on each app's {@value #CHANNEL} metachannel (docs/protocol.md §6.5). When this node's
 * attachments to a channel go from none to some, it publishes {@code channel.region.active} (the node is the region),
 * preceded by {@code channel.opened} when no other node had the channel active; when they go back to none, it
 * publishes {@code channel.region.inactive}, followed by {@code channel.closed} when no node has it active any more.
 * Changes of this node's attachments in between publish {@code channel.occupancy} with the cluster-wide counts, at most
 * once per occupancy interval per channel from each node (the feed limits it).
 * Each event's data is the channel's ChannelDetails. The events go through the engine like any message, so
 * subscribers on every node get them and they are kept in the metachannel's history. Metachannels themselves have no
 * lifecycle events.
 */
public final class ChannelLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelLifecycle.class);

    /** The metachannel the events are published on. */
    public static final String CHANNEL = "[meta]channel.lifecycle";

    static final String OPENED = "channel.opened";
    static final String CLOSED = "channel.closed";
    static final String REGION_ACTIVE = "channel.region.active";
    static final String REGION_INACTIVE = "channel.region.inactive";
    static final String OCCUPANCY = "channel.occupancy";

    /** Made on first use (the first lifecycle event), not when the node starts: a mapper is many classes to load. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Broker broker;
    private final OccupancyStore store;
    private final PresenceStore presence;
    private final Clock clock;
    private final String region;
    private final Duration retention;

    /**
     * @param region    this node's name in {@code region} of the events (its server id)
     * @param retention how long the events stay in the metachannel's history
     */
    public ChannelLifecycle(
            Broker broker,
            OccupancyStore store,
            PresenceStore presence,
            Clock clock,
            String region,
            Duration retention) {
        this.broker = broker;
        this.store = store;
        this.presence = presence;
        this.clock = clock;
        this.region = region;
        this.retention = retention;
    }

    /** Whether a channel is a metachannel ({@code [meta]…}): no lifecycle events, and clients may not publish. */
    public static boolean isMeta(String channelName) {
        return channelName.startsWith("[meta]");
    }

    /**
     * This node's attachments to {@code channel} became {@code local}, from none ({@code active}) or to none
     * ({@code !active}); {@code reported} completes when the engine has this node's new counts. Completes when the
     * events are published.
     */
    CompletionStage<Void> transition(
            ChannelId channel, OccupancyCounts local, boolean active, CompletionStage<Void> reported) {
        if (isMeta(channel.name())) {
            return CompletableFuture.completedFuture(null);
        }
        return logged(
                channel,
                snapshot(channel, reported)
                        .thenCompose(s -> active ? opened(channel, local, s) : closed(channel, local, s)));
    }

    private record Snapshot(OccupancyCounts total, int members) {}

    /** The cluster-wide counts and the presence set's size, read once {@code reported} has completed. */
    private CompletableFuture<Snapshot> snapshot(ChannelId channel, CompletionStage<Void> reported) {
        return reported.toCompletableFuture()
                .thenCompose(v -> store.total(channel))
                .thenCombine(
                        presence.members(channel).thenApply(s -> s.members().size()),
                        (total, members) -> new Snapshot(total, members));
    }

    private static CompletableFuture<Void> logged(ChannelId channel, CompletableFuture<Void> published) {
        return published.whenComplete((v, t) -> {
            if (t != null) {
                LOG.warn("lifecycle event for {} not published: {}", channel, t.toString());
            }
        });
    }

    /**
     * This node's attachments to {@code channel} changed; {@code reported} completes when the engine has them. Publishes
     * {@code channel.occupancy} with the cluster-wide counts read after that (the caller limits how often).
     */
    CompletionStage<Void> occupancy(ChannelId channel, CompletionStage<Void> reported) {
        if (isMeta(channel.name())) {
            return CompletableFuture.completedFuture(null);
        }
        return logged(
                channel,
                snapshot(channel, reported)
                        .thenCompose(s -> publish(
                                channel,
                                OCCUPANCY,
                                details(
                                        channel,
                                        null,
                                        s.total().connections() > 0 || s.members() > 0,
                                        s.total(),
                                        s.members()))));
    }

    private CompletableFuture<Void> opened(ChannelId channel, OccupancyCounts local, Snapshot s) {
        boolean othersActive = s.total().connections() > local.connections();
        CompletableFuture<Void> first = othersActive
                ? CompletableFuture.completedFuture(null)
                : publish(channel, OPENED, details(channel, null, s.total().connections() > 0, s.total(), s.members()));
        return first.thenCompose(
                v -> publish(channel, REGION_ACTIVE, details(channel, region, true, local, s.members())));
    }

    private CompletableFuture<Void> closed(ChannelId channel, OccupancyCounts local, Snapshot s) {
        CompletableFuture<Void> first =
                publish(channel, REGION_INACTIVE, details(channel, region, false, local, s.members()));
        if (s.total().connections() > 0) {
            return first;
        }
        return first.thenCompose(v -> publish(channel, CLOSED, details(channel, null, false, s.total(), s.members())));
    }

    private static Map<String, Object> details(
            ChannelId channel, @Nullable String region, boolean isActive, OccupancyCounts counts, int members) {
        return OccupancyMetrics.channelDetails(channel.name(), region, isActive, counts, members);
    }

    private CompletableFuture<Void> publish(ChannelId channel, String event, Map<String, Object> details) {
        long now = clock.millis();
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, CHANNEL);
        pm.id = Ids.urlSafe(10);
        pm.timestamp = now;
        Message m = new Message();
        m.id = pm.id + ":0";
        m.name = event;
        m.timestamp = now;
        m.encoding = "json";
        try {
            m.data = Json.MAPPER.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        pm.messages = new ArrayList<>(List.of(m));
        ChannelId meta = new ChannelId(channel.appId(), CHANNEL);
        return broker.publish(new PublishRequest(meta, pm, retention, false))
                .toCompletableFuture()
                .thenApply(o -> null);
    }
}
