package io.herald.redis;

import io.herald.core.engine.ChannelId;
import org.jspecify.annotations.Nullable;

/**
 * Every Redis key and pub/sub channel the engine uses. A channel's keys share one hash tag, {@code {app:name}}
 * (escaped so no name can end the tag early or collide with another), so on Redis Cluster they live in one slot and
 * one Lua script may touch them all:
 * <pre>
 *   P:{app:name}:s      hash   e = epoch, q = seq of the last event (the log's state)
 *   P:{app:name}:l      stream the log: entry id seq-expiresAt, field m or p = msgpack ProtocolMessage, x = dropped
 *   P:{app:name}:p      hash   member key (connectionId:clientId) -> msgpack PresenceMessage (action PRESENT)
 *   P:{app:name}:o      hash   member key -> node instance that owns the member
 *   P:{app:name}:i:ID   string a message id seen within the idempotency window
 *   P:{app:name}:e      pub/sub channel of the channel's events
 * </pre>
 * Node-wide keys: {@code P:nodes} (zset instance -> heartbeat), {@code P:node:INSTANCE:ch} (set of channel tags
 * where the instance owns members), {@code P:sweep:INSTANCE} (sweep lock), {@code P:conn:ID} (connection record),
 * {@code P:cpres:ID} (set of channel tags where the connection has members), {@code P:n:...} (nonces),
 * {@code P:revocations} (zset), and the pub/sub channel {@code P:ctl} (revocations and takeovers).
 */
final class RedisKeys {
    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** The hash tag of a channel, e.g. {@code {app:chat%3Aroom}}. */
    static String tag(ChannelId id) {
        return "{" + escape(id.appId()) + ":" + escape(id.name()) + "}";
    }

    /** The channel of a tag made by {@link #tag}, or {@code null} if it is not one. */
    static @Nullable ChannelId channelOf(String tag) {
        if (tag.length() < 3 || tag.charAt(0) != '{' || tag.charAt(tag.length() - 1) != '}') {
            return null;
        }
        String inner = tag.substring(1, tag.length() - 1);
        int colon = inner.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new ChannelId(unescape(inner.substring(0, colon)), unescape(inner.substring(colon + 1)));
    }

    private static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '%' -> "%25";
                case ':' -> "%3A";
                case '{' -> "%7B";
                case '}' -> "%7D";
                default -> null;
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    String channel(String tag, String suffix) {
        return prefix + ":" + tag + ":" + suffix;
    }

    String state(String tag) {
        return channel(tag, "s");
    }

    String log(String tag) {
        return channel(tag, "l");
    }

    String presence(String tag) {
        return channel(tag, "p");
    }

    String owners(String tag) {
        return channel(tag, "o");
    }

    String idPrefix(String tag) {
        return channel(tag, "i:");
    }

    String events(String tag) {
        return channel(tag, "e");
    }

    /** The zset of an app's channels that some node reports attached connections on (occupancy). */
    String activeChannels(String appId) {
        return prefix + ":active:" + escape(appId);
    }

    String nodes() {
        return prefix + ":nodes";
    }

    String nodeChannels(String instance) {
        return prefix + ":node:" + instance + ":ch";
    }

    String sweepLock(String instance) {
        return prefix + ":sweep:" + instance;
    }

    String connection(String connectionId) {
        return prefix + ":conn:" + connectionId;
    }

    String connectionChannels(String connectionId) {
        return prefix + ":cpres:" + connectionId;
    }

    String nonce(String keyName, String nonce) {
        return prefix + ":n:" + keyName.length() + ":" + keyName + ":" + nonce;
    }

    String revocations() {
        return prefix + ":revocations";
    }

    String control() {
        return prefix + ":ctl";
    }
}
