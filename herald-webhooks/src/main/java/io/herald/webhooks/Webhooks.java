package io.herald.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.core.engine.PublishListener;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A node's webhook rules. As the node's {@link PublishListener} it hears each event the node publishes (never the
 * events of other nodes, so a cluster delivers each event once), queues it on every rule of its app that matches, and
 * delivers the queues on a thread of its own.
 */
public final class Webhooks implements PublishListener, AutoCloseable {
    /** The metachannel whose events a {@link Source#LIFECYCLE} rule delivers. */
    static final String LIFECYCLE_CHANNEL = "[meta]channel.lifecycle";

    private final Map<String, List<RuleQueue>> byApp = new HashMap<>();
    private final WebhookStats stats = new WebhookStats();
    private final ScheduledExecutorService executor;

    /**
     * @param signingKey the key that signs an app's requests (its first), or {@code null} to send them unsigned
     */
    public Webhooks(List<WebhookRule> rules, WebhookSettings settings, Function<String, @Nullable ApiKey> signingKey) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-webhooks");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        for (WebhookRule rule : rules) {
            byApp.computeIfAbsent(rule.appId(), a -> new ArrayList<>())
                    .add(new RuleQueue(rule, settings, stats, executor, http, signingKey));
        }
    }

    /** The delivery counters of all rules. */
    public WebhookStats stats() {
        return stats;
    }

    /** How many rules there are. */
    public int size() {
        return byApp.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void published(PublishRequest request, PublishOutcome outcome) {
        List<RuleQueue> rules = byApp.get(request.channel().appId());
        if (rules == null) {
            return;
        }
        ProtocolMessage pm = request.message();
        String channel = request.channel().name();
        Source source;
        String subject = channel;
        if (channel.equals(LIFECYCLE_CHANNEL)) {
            boolean occupancy = pm.messages != null
                    && !pm.messages.isEmpty()
                    && "channel.occupancy".equals(pm.messages.get(0).name);
            source = occupancy ? Source.OCCUPANCY : Source.LIFECYCLE;
            if (!wanted(rules, source)) {
                return;
            }
            subject = lifecycleSubject(pm);
            if (subject == null) {
                return;
            }
        } else if (channel.startsWith("[meta]")) {
            return;
        } else if (pm.action == Action.PRESENCE && pm.presence != null) {
            source = Source.PRESENCE;
        } else if (pm.action == Action.MESSAGE && pm.messages != null && !pm.messages.isEmpty()) {
            source = Source.MESSAGE;
        } else {
            return;
        }
        RuleQueue.Pending pending = new RuleQueue.Pending(source, request, outcome);
        for (RuleQueue q : rules) {
            if (q.rule().matches(source, subject)) {
                q.offer(pending);
            }
        }
    }

    private static boolean wanted(List<RuleQueue> rules, Source source) {
        for (RuleQueue q : rules) {
            if (q.rule().sources().contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** The channel a lifecycle event is about (its data's {@code channelId}). */
    private static @Nullable String lifecycleSubject(ProtocolMessage pm) {
        if (pm.messages == null || pm.messages.isEmpty()) {
            return null;
        }
        Message m = pm.messages.get(0);
        JsonNode details = Envelope.lifecycleDetails(m);
        return details == null || !details.path("channelId").isTextual()
                ? null
                : details.path("channelId").asText();
    }

    /** Events waiting in all queues now. */
    public int queued() {
        int n = 0;
        for (List<RuleQueue> qs : byApp.values()) {
            for (RuleQueue q : qs) {
                n += q.queued();
            }
        }
        return n;
    }

    /** Stops delivering; events still queued or being retried are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
