package io.herald.redis;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.lettuce.core.RedisCommandExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns Redis failures into Ably errors: Redis unreachable, slow or refusing writes is 50300, a bug is 50000. */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
    /** Errors a healthy engine can get from a Redis that is starting, full, failing over or busy. */
    private static final String[] UNAVAILABLE_ERRORS = {
        "LOADING",
        "BUSY",
        "OOM",
        "READONLY",
        "MASTERDOWN",
        "CLUSTERDOWN",
        "TRYAGAIN",
        "NOREPLICAS",
        "MISCONF",
        "NOSCRIPT"
    };

    private Failures() {}

    static AblyException unavailable(String why) {
        return new AblyException(ErrorCode.SERVICE_UNAVAILABLE, "Service temporarily unavailable: " + why);
    }

    /** The failure as an {@link AblyException}. */
    static Throwable map(Throwable t) {
        Throwable c = AblyException.unwrap(t);
        if (c instanceof AblyException) {
            return c;
        }
        if (c instanceof RedisCommandExecutionException e) {
            String msg = String.valueOf(e.getMessage());
            for (String prefix : UNAVAILABLE_ERRORS) {
                if (msg.startsWith(prefix)) {
                    return unavailable("Redis answered " + truncate(msg));
                }
            }
            LOG.error("Redis command failed", e);
            return new AblyException(ErrorCode.INTERNAL_ERROR, "Internal error: Redis command failed");
        }
        return unavailable("Redis is unreachable (" + truncate(String.valueOf(c.getMessage())) + ")");
    }

    static boolean isNoScript(Throwable t) {
        Throwable c = AblyException.unwrap(t);
        return c instanceof RedisCommandExecutionException
                && String.valueOf(c.getMessage()).startsWith("NOSCRIPT");
    }

    private static String truncate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
