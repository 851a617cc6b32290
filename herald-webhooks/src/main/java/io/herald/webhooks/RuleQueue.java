package io.herald.webhooks;

import io.herald.auth.ApiKey;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule's queue and deliveries. Publishers only {@link #offer} (a short lock, never I/O); everything else runs on
 * the webhooks' executor. One request is in flight per rule at a time, so a rule's events arrive in the order they
 * were published on this node; a failed request is sent again, with the same body, after an exponential backoff.
 */
final class RuleQueue {
    private static final Logger LOG = LoggerFactory.getLogger(RuleQueue.class);

    record Pending(Source source, PublishRequest request, PublishOutcome outcome) {}

    private final WebhookRule rule;
    private final WebhookSettings settings;
    private final WebhookStats stats;
    private final ScheduledExecutorService executor;
    private final HttpClient http;
    private final Function<String, @Nullable ApiKey> signingKey;

    /** Guarded by this. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** A flush is scheduled or a request is in flight; guarded by this. */
    private boolean busy;

    RuleQueue(
            WebhookRule rule,
            WebhookSettings settings,
            WebhookStats stats,
            ScheduledExecutorService executor,
            HttpClient http,
            Function<String, @Nullable ApiKey> signingKey) {
        this.rule = rule;
        this.settings = settings;
        this.stats = stats;
        this.executor = executor;
        this.http = http;
        this.signingKey = signingKey;
    }

    WebhookRule rule() {
        return rule;
    }

    /** Queues an event; when the queue is full, the oldest is dropped. Never blocks on I/O. */
    void offer(Pending p) {
        boolean start;
        synchronized (this) {
            if (queue.size() >= settings.maxQueue()) {
                queue.pollFirst();
                stats.dropped.increment();
            }
            queue.addLast(p);
            start = !busy;
            busy = true;
        }
        if (start) {
            schedule(this::flush, rule.batch() ? settings.batchWindow().toMillis() : 0);
        }
    }

    // the task catches its own failures, and close() cancels what is pending: there is no result to wait for
    @SuppressWarnings("FutureReturnValueIgnored")
    private void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            LOG.error("webhook {} task failed", rule.id(), e);
                            next();
                        }
                    },
                    delayMillis,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Takes the next batch off the queue and sends it. */
    private void flush() {
        int max = rule.batch() ? settings.maxBatchItems() : 1;
        List<Pending> taken = new ArrayList<>(max);
        synchronized (this) {
            while (taken.size() < max && !queue.isEmpty()) {
                taken.add(queue.pollFirst());
            }
        }
        List<byte[]> items = new ArrayList<>(taken.size());
        long bytes = Envelope.overhead(1);
        int used = 0;
        for (Pending p : taken) {
            byte[] item = Envelope.item(rule.id(), p.source(), p.request(), p.outcome(), settings.site());
            if (Envelope.overhead(1) + item.length > settings.maxBatchBytes()) {
                stats.dropped.increment();
                LOG.warn("webhook {}: an event of {} bytes is over the request limit, dropped", rule.id(), item.length);
                used++;
                continue;
            }
            if (bytes + item.length + 1 > settings.maxBatchBytes()) {
                break;
            }
            bytes += item.length + 1;
            items.add(item);
            used++;
        }
        if (used < taken.size()) {
            synchronized (this) {
                for (int i = taken.size() - 1; i >= used; i--) {
                    queue.addFirst(taken.get(i));
                }
            }
        }
        if (items.isEmpty()) {
            next();
            return;
        }
        send(Envelope.body(items), items.size(), 1);
    }

    // the outcome, failure included, is handled in whenComplete: nothing else waits for it
    @SuppressWarnings("FutureReturnValueIgnored")
    private void send(byte[] body, int count, int attempt) {
        HttpRequest.Builder req = HttpRequest.newBuilder(rule.url())
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("X-Ably-Version", "1.2")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        rule.headers().forEach(req::header);
        ApiKey key = signingKey.apply(rule.appId());
        if (key != null) {
            req.header("X-Ably-Key", key.appId() + "." + key.keyId());
            req.header("X-Ably-Signature", Signer.sign(key.secret(), body));
        }
        http.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, t) -> {
            int status = r == null ? 0 : r.statusCode();
            String why = t != null ? t.toString() : "HTTP " + status;
            schedule(() -> answered(body, count, attempt, status, why), 0);
        });
    }

    private void answered(byte[] body, int count, int attempt, int status, String why) {
        if (status >= 200 && status < 300) {
            stats.sent.add(count);
            next();
            return;
        }
        if (attempt >= settings.maxAttempts()) {
            stats.failed.add(count);
            LOG.warn("webhook {}: {} events not delivered after {} attempts ({})", rule.id(), count, attempt, why);
            next();
            return;
        }
        long delay = Math.min(
                settings.maxRetryDelay().toMillis(), settings.firstRetry().toMillis() << Math.min(20, attempt - 1));
        LOG.debug("webhook {}: attempt {} failed ({}), again in {} ms", rule.id(), attempt, why, delay);
        stats.retried.increment();
        schedule(() -> send(body, count, attempt + 1), delay);
    }

    /** After a request: the next batch at once if events are waiting, else idle until the next offer. */
    private void next() {
        synchronized (this) {
            if (queue.isEmpty()) {
                busy = false;
                return;
            }
        }
        schedule(this::flush, 0);
    }

    /** Events waiting now (for tests and diagnostics). */
    synchronized int queued() {
        return queue.size();
    }
}
