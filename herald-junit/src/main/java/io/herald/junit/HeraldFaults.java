package io.herald.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.server.control.ControlClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Injects faults into the in-process server through its fault control API (docs/faults.md), for one app: what Ably
 * can do to a client (a dropped socket, a failed resume, an expired token, a failed channel, lost or late messages, a
 * REST call that fails), sent the way Ably sends it, so the SDK reacts as in production.
 *
 * <pre>{@code
 * herald.faults().dropConnection("alice");               // alice's connections drop; the SDK resumes
 * InjectedFault f = herald.faults().failChannel("chat", 90001);
 * f.clear();
 * }</pre>
 *
 * Connection and token faults select connections by clientId (use {@link #fault(String)} with
 * {@link Builder#connectionId} for one connection). Every fault is cleared after each test, so tests never see each
 * other's. A fault the server refuses throws {@link FaultException} with the Ably error.
 */
public final class HeraldFaults {
    private final RunningHerald running;
    private final String configuredAppId;

    HeraldFaults(RunningHerald running, String configuredAppId) {
        this.running = running;
        this.configuredAppId = configuredAppId;
    }

    /** The app the faults act on (its current id: it changes on {@link HeraldInstance#reset()}). */
    public String appId() {
        Map<String, io.herald.auth.ApiKey> keys = running.keys().get(configuredAppId);
        if (keys == null) {
            throw new IllegalArgumentException(
                    "no app " + configuredAppId + " in " + running.keys().keySet());
        }
        return keys.values().iterator().next().appId();
    }

    // ---- connections ----

    /** {@code connection.drop}: the clientId's connections lose their socket without a word; the SDK resumes. */
    public InjectedFault dropConnection(String clientId) {
        return fault("connection.drop").clientId(clientId).inject();
    }

    /** {@code connection.disconnect}: DISCONNECTED with {@code code}, then the socket closes; the SDK resumes. */
    public InjectedFault disconnect(String clientId, int code) {
        return fault("connection.disconnect").clientId(clientId).error(code).inject();
    }

    /** {@code connection.fail}: a connection ERROR with {@code code}; the SDK goes FAILED. */
    public InjectedFault failConnection(String clientId, int code) {
        return fault("connection.fail").clientId(clientId).error(code).inject();
    }

    /**
     * {@code connection.failResume}: the clientId's next resume is refused (80008): the SDK gets a new connection id.
     * Follow it with {@link #dropConnection} to make the SDK resume.
     */
    public InjectedFault failResume(String clientId) {
        return failResume(clientId, 1);
    }

    /** As {@link #failResume(String)}, for the next {@code times} resumes. */
    public InjectedFault failResume(String clientId, int times) {
        return fault("connection.failResume").clientId(clientId).count(times).inject();
    }

    /** {@code connection.latency}: every frame to the clientId's connections waits {@code delay}, in order. */
    public InjectedFault latency(String clientId, Duration delay) {
        return fault("connection.latency").clientId(clientId).delay(delay).inject();
    }

    // ---- tokens ----

    /** {@code token.expire}: the clientId's token connections are told 40142; the SDK renews its token. */
    public InjectedFault expireToken(String clientId) {
        return fault("token.expire").clientId(clientId).inject();
    }

    /**
     * {@code token.revoke}: the clientId's tokens are revoked on every key with {@code revocableTokens} (40141); the
     * SDK renews. {@link InjectedFault#applied()} is the number of such keys.
     */
    public InjectedFault revokeToken(String clientId) {
        return fault("token.revoke").clientId(clientId).inject();
    }

    /** {@code token.requestFail}: the app's next {@code times} requestToken calls answer {@code code}. */
    public InjectedFault failTokenRequests(int times, int code) {
        return fault("token.requestFail").count(times).error(code).inject();
    }

    // ---- REST ----

    /**
     * {@code rest.fail}: the next {@code times} REST requests matching {@code method} ({@code GET}... or {@code *})
     * and {@code path} ({@code *} one segment, a trailing {@code **} the rest, e.g. {@code /channels/*}{@code
     * /messages}) answer {@code status} / {@code code}.
     */
    public InjectedFault failRest(String method, String path, int times, int status, int code) {
        return fault("rest.fail")
                .method(method)
                .path(path)
                .count(times)
                .error(code, status, null)
                .inject();
    }

    // ---- channels ----

    /** {@code channel.detach}: the channel is detached by the server; the SDK re-attaches by itself. */
    public InjectedFault detachChannel(String channel) {
        return fault("channel.detach").channel(channel).inject();
    }

    /** {@code channel.fail}: a channel ERROR with {@code code}; the channel goes FAILED until attached again. */
    public InjectedFault failChannel(String channel, int code) {
        return fault("channel.fail").channel(channel).error(code).inject();
    }

    /** {@code channel.suspend}: detached, and every attach refused until the fault ends; the channel is SUSPENDED. */
    public InjectedFault suspendChannel(String channel) {
        return fault("channel.suspend").channel(channel).inject();
    }

    /** {@code channel.update}: an ATTACHED without RESUMED: the SDK emits an UPDATE with {@code resumed: false}. */
    public InjectedFault updateChannel(String channel) {
        return fault("channel.update").channel(channel).inject();
    }

    /** {@code delivery.drop}: the channel's messages are lost while active, each loss signalled as an UPDATE. */
    public InjectedFault dropDeliveries(String channel) {
        return fault("delivery.drop").channel(channel).inject();
    }

    /** {@code delivery.delay}: the channel's messages arrive {@code delay} late, in order. */
    public InjectedFault delayDeliveries(String channel, Duration delay) {
        return fault("delivery.delay").channel(channel).delay(delay).inject();
    }

    /** {@code delivery.duplicate}: the channel's messages are delivered twice. */
    public InjectedFault duplicateDeliveries(String channel) {
        return fault("delivery.duplicate").channel(channel).inject();
    }

    // ---- any fault, listing, clearing ----

    /** A fault of any {@code kind} (docs/faults.md lists them), to be completed and {@link Builder#inject()}ed. */
    public Builder fault(String kind) {
        return new Builder(kind);
    }

    /** The app's active faults, oldest first. */
    public List<InjectedFault> list() {
        JsonNode answer = call("list faults", c -> c.list(appId()));
        List<InjectedFault> out = new ArrayList<>();
        for (JsonNode f : answer.path("faults")) {
            out.add(new InjectedFault(this, f));
        }
        return out;
    }

    /** Clears the app's faults; how many there were. */
    public int clearAll() {
        return call("clear faults", c -> c.clearAll(appId())).path("cleared").asInt();
    }

    /** Clears one fault; {@code false} when it was no longer active. */
    boolean clear(String id) {
        try {
            running.control().clear(id);
            return true;
        } catch (ControlClient.Refused e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new FaultException("clear fault " + id, e.code(), e.statusCode(), e.reason());
        } catch (ControlClient.Unreachable e) {
            throw unreachable(e);
        }
    }

    /** Clears every fault of the server, whatever its app (after each test). */
    static void clearEverything(RunningHerald running) {
        try {
            running.control().clearAll(null);
        } catch (ControlClient.Refused e) {
            throw new FaultException("clear faults", e.code(), e.statusCode(), e.reason());
        } catch (ControlClient.Unreachable e) {
            throw unreachable(e);
        }
    }

    private interface Call {
        JsonNode run(ControlClient client) throws ControlClient.Refused, ControlClient.Unreachable;
    }

    private JsonNode call(String what, Call call) {
        try {
            return call.run(running.control());
        } catch (ControlClient.Refused e) {
            throw new FaultException(what, e.code(), e.statusCode(), e.reason());
        } catch (ControlClient.Unreachable e) {
            throw unreachable(e);
        }
    }

    private static IllegalStateException unreachable(ControlClient.Unreachable e) {
        return new IllegalStateException("the Herald server's control API did not answer: " + e.getMessage(), e);
    }

    /**
     * A fault being described: its targets, error, count, delay and ttl. What is left out is the server's default
     * (docs/faults.md); what a kind does not take is refused by the server with a {@link FaultException}.
     */
    public final class Builder {
        private final ObjectNode body = ControlClient.object();

        private Builder(String kind) {
            body.put("kind", kind);
        }

        /** Only the connections of this clientId. */
        public Builder clientId(String clientId) {
            body.put("clientId", clientId);
            return this;
        }

        /** Only this connection (its {@code connection.id}). */
        public Builder connectionId(String connectionId) {
            body.put("connectionId", connectionId);
            return this;
        }

        /** The channel (channel and delivery kinds). */
        public Builder channel(String channel) {
            body.put("channel", channel);
            return this;
        }

        /** The HTTP method ({@code rest.fail}). */
        public Builder method(String method) {
            body.put("method", method);
            return this;
        }

        /** The path pattern ({@code rest.fail}). */
        public Builder path(String path) {
            body.put("path", path);
            return this;
        }

        /** The Ably error code sent; its status is the code's first three digits when they are one, else 400. */
        public Builder error(int code) {
            body.putObject("error").put("code", code);
            return this;
        }

        /** The Ably error sent: code, HTTP status and message ({@code null}: a generic one). */
        public Builder error(int code, int status, @Nullable String message) {
            ObjectNode e = body.putObject("error").put("code", code).put("statusCode", status);
            if (message != null) {
                e.put("message", message);
            }
            return this;
        }

        /** How many times it acts (failResume, token and REST failures). */
        public Builder count(int times) {
            body.put("count", times);
            return this;
        }

        /** The delay (latency, delivery delay). */
        public Builder delay(Duration delay) {
            body.put("delayMs", delay.toMillis());
            return this;
        }

        /** How long it stays active at most (default 60 s). */
        public Builder ttl(Duration ttl) {
            body.put("ttlMs", ttl.toMillis());
            return this;
        }

        /** Injects it into the app of these faults. */
        public InjectedFault inject() {
            ObjectNode spec = body.deepCopy();
            spec.put("appId", appId());
            String what = "fault " + spec.path("kind").asText();
            return new InjectedFault(HeraldFaults.this, call(what, c -> c.inject(spec)));
        }
    }
}
