package io.herald.core.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.PublishRequest;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.core.security.KeyRegistry;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Test-only provisioning for the official ably-js suite, on only with {@code --sandbox} (docs/protocol.md §14):
 * {@code POST /apps} creates an app with keys, namespaces and presence fixtures; {@code DELETE /apps/{id}} removes it;
 * {@code POST /stats} stores stats fixtures ({@link StatsResource#postFixtures}). To run the suite against several nodes, the answer of
 * one node's {@code POST /apps} can be posted to the others with {@code "replica": true}: they then create the same
 * app with the same keys and do not seed its fixtures again (the shared engine already has them).
 *
 * <p>Creating a new app needs no credentials. Replacing an existing app (a replica of an app this node already has)
 * or deleting one needs Basic auth with a full-capability key of that app, and only apps provisioned here can be
 * replaced or deleted, never configured ones. Connections of a replaced or deleted app's keys are closed.
 */
public final class SandboxResource {
    private final KeyRegistry keys;
    private final Authenticator authenticator;
    private final Runnable keysChanged;
    private final Engine engine;
    private final ChannelPolicy policy;
    private final Clock clock;

    /** @param keysChanged told after an app was replaced or deleted (closes connections of keys that changed) */
    public SandboxResource(
            KeyRegistry keys,
            Authenticator authenticator,
            Runnable keysChanged,
            Engine engine,
            ChannelPolicy policy,
            Clock clock) {
        this.keys = keys;
        this.authenticator = authenticator;
        this.keysChanged = keysChanged;
        this.engine = engine;
        this.policy = policy;
        this.clock = clock;
    }

    /** Replacing or deleting an existing app: only with Basic auth by a full-capability key of a provisioned app. */
    private void requireOwner(RestCall call, String appId) {
        AuthContext caller = call.authenticate(authenticator);
        if (caller.isToken()) {
            throw new AblyException(
                    ErrorCode.TOKEN_AUTH_REQUIRED,
                    "Replacing or deleting a sandbox app needs Basic authentication with a key of that app");
        }
        if (!caller.appId().equals(appId)) {
            throw new AblyException(ErrorCode.INVALID_CREDENTIALS, "The credentials are not for app " + appId);
        }
        if (!keys.isDynamic(appId)) {
            throw new AblyException(
                    ErrorCode.FORBIDDEN,
                    "App " + appId + " comes from the configuration; the sandbox cannot replace or delete it");
        }
        if (!caller.capability().equals(Capability.ALL)) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Replacing or deleting a sandbox app needs a key of that app with full capability");
        }
    }

    CompletionStage<RestResponse> createApp(RestCall call) {
        JsonNode body = call.request.body().length == 0 ? null : call.bodyTree();
        // a replica (of an app made on another node) keeps the appId it names
        String replicaOf = body != null
                        && body.path("replica").asBoolean(false)
                        && body.path("appId").isTextual()
                ? body.path("appId").asText()
                : null;
        boolean replica = replicaOf != null;
        String appId = replicaOf != null ? replicaOf : Ids.alphanumeric(6);
        while (!replica && keys.app(appId) != null) {
            appId = Ids.alphanumeric(6);
        }
        boolean replaces = keys.app(appId) != null;
        if (replaces) {
            requireOwner(call, appId);
        }
        List<KeyConfig> keyConfigs = new ArrayList<>();
        List<Map<String, Object>> keysOut = new ArrayList<>();
        JsonNode keySpecs = body == null ? null : body.get("keys");
        if (keySpecs == null || !keySpecs.isArray() || keySpecs.isEmpty()) {
            // one key with the defaults (addObject returns the new object, not the array: keep the array)
            com.fasterxml.jackson.databind.node.ArrayNode one =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            one.addObject();
            keySpecs = one;
        }
        for (JsonNode spec : keySpecs) {
            ApiKey key;
            if (replica && spec.path("keyStr").isTextual()) {
                try {
                    key = ApiKey.parse(spec.get("keyStr").asText());
                } catch (AuthException e) {
                    throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid keyStr: " + e.getMessage());
                }
                if (!key.appId().equals(appId)) {
                    throw new AblyException(
                            ErrorCode.INVALID_PARAMETER_VALUE, "keyStr of another app: " + key.keyName());
                }
            } else {
                key = ApiKey.generate(appId);
            }
            Capability cap = Capability.ALL;
            JsonNode c = spec.get("capability");
            if (c != null && !c.isNull()) {
                try {
                    cap = Capability.parse(c.isTextual() ? c.asText() : c.toString());
                } catch (AuthException e) {
                    throw new AblyException(
                            ErrorCode.INVALID_PARAMETER_VALUE, "Invalid key capability: " + e.getMessage());
                }
            }
            boolean revocable = spec.path("revocableTokens").asBoolean(false);
            keyConfigs.add(new KeyConfig(key, cap, revocable));
            Map<String, Object> k = new LinkedHashMap<>();
            spec.properties().forEach(e -> k.put(e.getKey(), e.getValue()));
            k.put("id", key.keyId());
            k.put("value", key.secret());
            k.put("keyName", key.keyName());
            k.put("keySecret", key.secret());
            k.put("keyStr", key.keyString());
            k.put("capability", cap.canonical());
            k.put("revocableTokens", revocable);
            keysOut.add(k);
        }
        List<NamespaceConfig> namespaces = new ArrayList<>();
        List<Object> namespacesOut = new ArrayList<>();
        JsonNode ns = body == null ? null : body.get("namespaces");
        if (ns != null && ns.isArray()) {
            for (JsonNode n : ns) {
                String id = n.path("id").asText("");
                try {
                    namespaces.add(new NamespaceConfig(
                            id,
                            n.path("persisted").asBoolean(false),
                            n.path("pushEnabled").asBoolean(false),
                            n.path("mutableMessages").asBoolean(false)));
                } catch (IllegalArgumentException e) {
                    throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid namespace: " + e.getMessage());
                }
                namespacesOut.add(n);
            }
        }
        AppConfig app = new AppConfig(appId, keyConfigs, namespaces, List.of());
        keys.putDynamic(app);
        if (replaces) {
            keysChanged.run();
        }
        List<CompletableFuture<?>> seeds = new ArrayList<>();
        JsonNode channels = body == null ? null : body.get("channels");
        if (channels != null && channels.isArray() && !replica) {
            for (JsonNode ch : channels) {
                seeds.add(seedPresence(appId, ch).toCompletableFuture());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("appId", appId);
        out.put("accountId", "herald");
        out.put("keys", keysOut);
        out.put("namespaces", namespacesOut);
        out.put("channels", channels == null ? List.of() : channels);
        return CompletableFuture.allOf(seeds.toArray(CompletableFuture[]::new)).thenApply(v -> call.ok(201, out));
    }

    private CompletionStage<?> seedPresence(String appId, JsonNode ch) {
        JsonNode presence = ch.get("presence");
        String channel = ch.path("name").asText("");
        if (presence == null || !presence.isArray() || presence.isEmpty() || channel.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        ChannelName name = ChannelName.parse(channel);
        String connectionId = Ids.alphanumeric(10);
        long now = clock.millis();
        List<PresenceMessage> members = new ArrayList<>();
        int i = 0;
        for (JsonNode p : presence) {
            PresenceMessage m = new PresenceMessage();
            m.action = PresenceMessage.ENTER;
            m.clientId = p.path("clientId").asText();
            m.connectionId = connectionId;
            m.data = p.has("data") && !p.get("data").isNull()
                    ? (p.get("data").isTextual()
                            ? p.get("data").asText()
                            : p.get("data").toString())
                    : null;
            m.encoding = p.hasNonNull("encoding") ? p.get("encoding").asText() : null;
            m.id = connectionId + ":0:" + i++;
            m.timestamp = now;
            members.add(m);
        }
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, name.base());
        pm.id = connectionId + ":0";
        pm.connectionId = connectionId;
        pm.timestamp = now;
        pm.presence = members;
        return engine.broker()
                .publish(new PublishRequest(
                        new ChannelId(appId, name.base()), pm, policy.retention(appId, name), false));
    }

    CompletionStage<RestResponse> deleteApp(RestCall call) {
        String appId = call.segment(1);
        requireOwner(call, appId);
        keys.remove(appId);
        keysChanged.run();
        return CompletableFuture.completedFuture(RestResponse.empty(204));
    }
}
