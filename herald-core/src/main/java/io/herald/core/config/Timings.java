package io.herald.core.config;

import java.time.Duration;

/**
 * Timings of the realtime service. Defaults follow Ably (docs/protocol.md §3.1, §4.6, §4.11, §8.3).
 *
 * @param maxIdleInterval        the server is never silent longer than this (HEARTBEATs fill the gaps)
 * @param connectionStateTtl     how long a dropped connection can be resumed
 * @param presenceLeaveDelay     a dropped connection's members leave after this unless it resumes
 * @param reauthBeforeExpiry     AUTH is sent this long before a token expires (when the token lives longer)
 * @param tokenRequestWindow     a TokenRequest timestamp must be within this of the server clock (40104)
 * @param defaultTokenTtl        ttl of a token when the request names none
 * @param maxTokenTtl            largest ttl for ordinary tokens (40003 beyond)
 * @param maxRevocableTokenTtl   largest ttl for tokens of keys with revocable tokens
 * @param historyRetention       how long messages stay in history on ordinary channels
 * @param persistedRetention     how long messages stay in history on persisted channels
 * @param idempotencyWindow      how long message ids are remembered to drop duplicates
 * @param revocationMargin       with allowReauthMargin, how long after AUTH a revocation is enforced
 * @param occupancyInterval      occupancy events that change no mode are sent at most this often per channel, and
 *                               each node re-reads other nodes' counts and renews its own this often (Ably: at most
 *                               15 s, docs/protocol.md §6.4)
 * @param statsRetention         how long the per-minute usage statistics of {@code GET /stats} are kept
 */
public record Timings(
        Duration maxIdleInterval,
        Duration connectionStateTtl,
        Duration presenceLeaveDelay,
        Duration reauthBeforeExpiry,
        Duration tokenRequestWindow,
        Duration defaultTokenTtl,
        Duration maxTokenTtl,
        Duration maxRevocableTokenTtl,
        Duration historyRetention,
        Duration persistedRetention,
        Duration idempotencyWindow,
        Duration revocationMargin,
        Duration occupancyInterval,
        Duration statsRetention) {

    /** The default {@code statsRetention}: one day of minutes. */
    public static final Duration DEFAULT_STATS_RETENTION = Duration.ofHours(24);

    public static final Timings DEFAULTS = new Timings(
            Duration.ofSeconds(15),
            Duration.ofSeconds(120),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(60),
            Duration.ofHours(24),
            Duration.ofHours(1),
            Duration.ofMinutes(2),
            Duration.ofHours(24),
            Duration.ofMinutes(2),
            Duration.ofSeconds(30),
            Duration.ofSeconds(15),
            DEFAULT_STATS_RETENTION);

    public Timings {
        positive("maxIdleInterval", maxIdleInterval);
        positive("connectionStateTtl", connectionStateTtl);
        positive("presenceLeaveDelay", presenceLeaveDelay);
        positive("reauthBeforeExpiry", reauthBeforeExpiry);
        positive("tokenRequestWindow", tokenRequestWindow);
        positive("defaultTokenTtl", defaultTokenTtl);
        positive("maxTokenTtl", maxTokenTtl);
        positive("maxRevocableTokenTtl", maxRevocableTokenTtl);
        positive("historyRetention", historyRetention);
        positive("persistedRetention", persistedRetention);
        positive("idempotencyWindow", idempotencyWindow);
        positive("revocationMargin", revocationMargin);
        positive("occupancyInterval", occupancyInterval);
        positive("statsRetention", statsRetention);
    }

    /** These timings with another occupancy interval (tests use a short one). */
    public Timings withOccupancyInterval(Duration interval) {
        return new Timings(
                maxIdleInterval,
                connectionStateTtl,
                presenceLeaveDelay,
                reauthBeforeExpiry,
                tokenRequestWindow,
                defaultTokenTtl,
                maxTokenTtl,
                maxRevocableTokenTtl,
                historyRetention,
                persistedRetention,
                idempotencyWindow,
                revocationMargin,
                interval,
                statsRetention);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timings." + name + " must be a positive duration, got " + d);
        }
    }
}
