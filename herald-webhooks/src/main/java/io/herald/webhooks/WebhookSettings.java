package io.herald.webhooks;

import java.time.Duration;

/**
 * How rules deliver, the same for every rule.
 *
 * @param maxQueue       events waiting per rule; when full the oldest is dropped (counted as dropped)
 * @param maxBatchItems  events per request at most
 * @param maxBatchBytes  bytes of a request body at most: a batch stops growing before it would pass this, and a single
 *                       event larger than it is dropped (counted as dropped)
 * @param batchWindow    how long the first event of a batch waits for others before the request is sent
 * @param firstRetry     the delay before the first retry; each next one doubles, up to {@code maxRetryDelay}
 * @param maxRetryDelay  the longest delay between retries
 * @param maxAttempts    requests per batch at most (the first and the retries); then its events count as failed
 * @param requestTimeout how long one request may take, connection included
 * @param site           the envelope's {@code data.site}: this node's server id
 */
public record WebhookSettings(
        int maxQueue,
        int maxBatchItems,
        int maxBatchBytes,
        Duration batchWindow,
        Duration firstRetry,
        Duration maxRetryDelay,
        int maxAttempts,
        Duration requestTimeout,
        String site) {

    public WebhookSettings {
        if (maxQueue < 1 || maxBatchItems < 1 || maxBatchBytes < 1024 || maxAttempts < 1) {
            throw new IllegalArgumentException("webhook settings out of range");
        }
    }

    /** The defaults: 10,000 queued per rule, batches of up to 100 events or 1 MiB within 100 ms, 6 attempts. */
    public static WebhookSettings defaults(String site) {
        return new WebhookSettings(
                10_000,
                100,
                1024 * 1024,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                6,
                Duration.ofSeconds(15),
                site);
    }
}
