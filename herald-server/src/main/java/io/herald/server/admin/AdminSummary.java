package io.herald.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.HeraldNode;
import io.herald.core.engine.ChannelId;
import io.herald.server.logging.AuditLog;
import io.herald.server.metrics.HeraldMetrics;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code GET /admin/api/summary} answers: this node's live connections (total and per app), channels (per app,
 * and the busiest by local subscribers), message rates over the last minute (from the counters behind
 * {@code herald_messages_in_total} and {@code herald_messages_out_total}, sampled every second) and the last token
 * requests the audit log recorded as refused. Everything is read from what the node and the metrics already count.
 */
public final class AdminSummary implements AutoCloseable {
    /** How many channels the summary lists, busiest first. */
    static final int TOP_CHANNELS = 10;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HeraldNode node;
    private final HeraldMetrics metrics;
    private final AuditLog audit;
    private final RateWindow rates = new RateWindow();
    private final ScheduledExecutorService sampler;
    private final long started = System.currentTimeMillis();

    // sampling runs until close() shuts the executor down: there is no result to wait for
    @SuppressWarnings("FutureReturnValueIgnored")
    public AdminSummary(HeraldNode node, HeraldMetrics metrics, AuditLog audit) {
        this.node = node;
        this.metrics = metrics;
        this.audit = audit;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-admin-rates");
            t.setDaemon(true);
            return t;
        });
        sample();
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        rates.sample(System.nanoTime(), metrics.messagesIn(), metrics.messagesOut());
    }

    /** The summary now, as JSON. */
    public byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("serverId", node.config().serverId());
        root.put("time", System.currentTimeMillis());
        root.put("startedAt", started);
        root.put("ready", node.isReady());

        ObjectNode connections = root.putObject("connections");
        connections.put("total", node.connectionCount());
        connections.put("connected", node.connectedCount());
        ObjectNode byApp = connections.putObject("byApp");
        node.connectionsByApp().forEach(byApp::put);

        channels(root.putObject("channels"), node.subscribersByChannel());

        long in = metrics.messagesIn();
        long out = metrics.messagesOut();
        RateWindow.Rates r = rates.rates(System.nanoTime(), in, out);
        ObjectNode messages = root.putObject("messages");
        messages.put("inPerSecond", round(r.inPerSecond()));
        messages.put("outPerSecond", round(r.outPerSecond()));
        messages.put("windowSeconds", Math.round(r.seconds()));
        messages.put("inTotal", in);
        messages.put("outTotal", out);

        ArrayNode refusals = root.putArray("tokenRefusals");
        for (AuditLog.Refusal f : audit.recentRefusals()) {
            ObjectNode o = refusals.addObject();
            o.put("time", f.time());
            o.put("keyName", f.keyName());
            o.put("clientId", f.clientId());
            o.put("capability", f.capability());
            o.put("remote", f.remote());
            o.put("code", f.code());
            o.put("status", f.status());
            o.put("reason", f.reason());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void channels(ObjectNode out, Map<ChannelId, Integer> subscribers) {
        out.put("total", subscribers.size());
        Map<String, Integer> perApp = new TreeMap<>();
        Comparator<Map.Entry<ChannelId, Integer>> bySubscribers = Map.Entry.comparingByValue();
        Comparator<Map.Entry<ChannelId, Integer>> order =
                bySubscribers.thenComparing(e -> e.getKey().toString(), Comparator.reverseOrder());
        PriorityQueue<Map.Entry<ChannelId, Integer>> top = new PriorityQueue<>(order);
        for (Map.Entry<ChannelId, Integer> e : subscribers.entrySet()) {
            perApp.merge(e.getKey().appId(), 1, Integer::sum);
            top.add(e);
            if (top.size() > TOP_CHANNELS) {
                top.poll();
            }
        }
        ObjectNode byApp = out.putObject("byApp");
        perApp.forEach(byApp::put);
        List<Map.Entry<ChannelId, Integer>> busiest = new ArrayList<>(top);
        busiest.sort(order.reversed());
        ArrayNode list = out.putArray("top");
        for (Map.Entry<ChannelId, Integer> e : busiest) {
            list.addObject()
                    .put("app", e.getKey().appId())
                    .put("channel", e.getKey().name())
                    .put("subscribers", e.getValue());
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
