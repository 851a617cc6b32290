package io.herald.core.engine.memory;

import io.herald.core.engine.ChannelId;
import io.herald.core.engine.OccupancyCounts;
import io.herald.core.engine.OccupancyStore;
import io.herald.core.internal.Stages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * Occupancy of an engine with one node: this node's reports are the totals. Channels are kept per app in name order
 * so enumeration pages by name. Nothing expires: the only node reporting is this one.
 */
public final class MemoryOccupancy implements OccupancyStore {
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, OccupancyCounts>> apps =
            new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> report(ChannelId channel, OccupancyCounts local) {
        if (local.isZero()) {
            ConcurrentSkipListMap<String, OccupancyCounts> app = apps.get(channel.appId());
            if (app != null) {
                app.remove(channel.name());
            }
        } else {
            apps.computeIfAbsent(channel.appId(), a -> new ConcurrentSkipListMap<>())
                    .put(channel.name(), local);
        }
        return Stages.done();
    }

    @Override
    public CompletionStage<OccupancyCounts> total(ChannelId channel) {
        ConcurrentSkipListMap<String, OccupancyCounts> app = apps.get(channel.appId());
        OccupancyCounts c = app == null ? null : app.get(channel.name());
        return CompletableFuture.completedFuture(c == null ? OccupancyCounts.ZERO : c);
    }

    @Override
    public CompletionStage<ActivePage> active(String appId, String prefix, @Nullable String after, int limit) {
        ConcurrentSkipListMap<String, OccupancyCounts> app = apps.get(appId);
        if (app == null || limit <= 0) {
            return CompletableFuture.completedFuture(new ActivePage(List.of(), null));
        }
        NavigableMap<String, OccupancyCounts> from =
                after != null && after.compareTo(prefix) >= 0 ? app.tailMap(after, false) : app.tailMap(prefix, true);
        List<String> names = new ArrayList<>();
        String next = null;
        for (Map.Entry<String, OccupancyCounts> e : from.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (names.size() == limit) {
                next = names.get(names.size() - 1);
                break;
            }
            names.add(e.getKey());
        }
        return CompletableFuture.completedFuture(new ActivePage(names, next));
    }
}
