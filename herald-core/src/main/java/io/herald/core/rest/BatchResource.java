package io.herald.core.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.MessageRules;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.internal.AblyException;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Batch operations (SPEC RSC22, RSC24): {@code POST /messages} publishes to many channels, {@code GET /presence}
 * reads many presence sets; each answers BatchResults with one result per channel, successes and failures side by side.
 */
public final class BatchResource {
    private static final int MAX_CHANNELS = 100;

    private final Authenticator authenticator;
    private final Engine engine;
    private final ChannelResource channels;

    public BatchResource(Authenticator authenticator, Engine engine, ChannelResource channels) {
        this.authenticator = authenticator;
        this.engine = engine;
        this.channels = channels;
    }

    CompletionStage<RestResponse> publish(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        MessageRules.Publisher publisher = call.publisher(auth);
        JsonNode body = call.bodyTree();
        boolean single = body.isObject();
        List<JsonNode> specs = new ArrayList<>();
        if (single) {
            specs.add(body);
        } else if (body.isArray()) {
            body.forEach(specs::add);
        } else {
            throw new AblyException(
                    ErrorCode.INVALID_REQUEST_BODY,
                    "Batch publish body must be a BatchPublishSpec or an array of them");
        }
        List<CompletableFuture<Map<String, Object>>> specResults = new ArrayList<>();
        for (JsonNode spec : specs) {
            specResults.add(publishSpec(auth, publisher, spec, call.bodyCodec()));
        }
        boolean legacy = legacyVersion(call.request.headers().get("x-ably-version"));
        return CompletableFuture.allOf(specResults.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    specResults.forEach(f -> out.add(f.join()));
                    return legacy ? legacyAnswer(call, out) : call.ok(201, single ? out.get(0) : out);
                });
    }

    /** Protocol version 2 and lower ({@code X-Ably-Version}) get the first batch API's answers (docs/protocol.md §10.7). */
    static boolean legacyVersion(@Nullable String version) {
        try {
            return version != null && Integer.parseInt(version.trim()) <= 2;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The first batch API's answer: the per-channel results of every spec in one flat array (ably-java 1.5 reads it
     * so), 201; when any channel failed, 400 with a 40020 error and the same results as {@code batchResponse}.
     */
    private static RestResponse legacyAnswer(RestCall call, List<Map<String, Object>> specs) {
        List<Object> results = new ArrayList<>();
        int failed = 0;
        for (Map<String, Object> spec : specs) {
            if (spec.get("results") instanceof List<?> channelResults) {
                results.addAll(channelResults);
            }
            failed += spec.get("failureCount") instanceof Integer n ? n : 0;
        }
        if (failed == 0) {
            return call.ok(201, results);
        }
        ErrorInfo error = ErrorCode.INVALID_PUBLISH_REQUEST.info(
                "Batch publish failed on " + failed + " channel" + (failed == 1 ? "" : "s"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("batchResponse", results);
        RestResponse r = call.ok(error.statusCode(), body);
        r.header("X-Ably-Errorcode", String.valueOf(error.code()));
        r.header("X-Ably-Errormessage", error.message());
        return r;
    }

    private CompletableFuture<Map<String, Object>> publishSpec(
            AuthContext auth, MessageRules.Publisher publisher, JsonNode spec, ProtocolCodec codec) {
        JsonNode chans = spec.get("channels");
        JsonNode msgs = spec.get("messages");
        if (chans == null || msgs == null || !(chans.isArray() || chans.isTextual())) {
            throw new AblyException(ErrorCode.INVALID_REQUEST_BODY, "A BatchPublishSpec needs channels and messages");
        }
        List<String> names = new ArrayList<>();
        if (chans.isTextual()) {
            names.add(chans.asText());
        } else {
            chans.forEach(c -> names.add(c.asText()));
        }
        if (names.isEmpty() || names.size() > MAX_CHANNELS) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "A BatchPublishSpec needs 1 to " + MAX_CHANNELS + " channels");
        }
        byte[] messageBytes = codec.encodeValue(msgs);
        List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>();
        for (String channel : names) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("channel", channel);
            CompletableFuture<Map<String, Object>> f;
            try {
                ChannelName name = ChannelName.parse(channel);
                ChannelResource.require(auth, name, Operations.PUBLISH);
                List<Message> messages = codec.decodeMessages(messageBytes);
                f = channels.publish(auth, publisher, name, messages)
                        .toCompletableFuture()
                        .handle((p, t) -> {
                            if (t != null) {
                                r.put("error", AblyException.errorOf(t));
                            } else {
                                r.put("messageId", p.messageId());
                                r.put("serials", p.outcome().serials());
                            }
                            return r;
                        });
            } catch (RuntimeException e) {
                r.put("error", AblyException.errorOf(e));
                f = CompletableFuture.completedFuture(r);
            }
            results.add(f);
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> batchResult(results));
    }

    CompletionStage<RestResponse> presence(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        String list = call.param("channels");
        if (list == null || list.isBlank()) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "channels parameter is required");
        }
        // String.split drops trailing empty names, so a trailing comma is tolerated (an empty name between two
        // commas still gets its error entry)
        @SuppressWarnings("StringSplitter")
        String[] names = list.split(",");
        if (names.length > MAX_CHANNELS) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "At most " + MAX_CHANNELS + " channels");
        }
        List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>();
        for (String channel : names) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("channel", channel);
            CompletableFuture<Map<String, Object>> f;
            try {
                ChannelName name = ChannelName.parse(channel);
                ChannelResource.require(auth, name, Operations.SUBSCRIBE);
                f = engine.presence()
                        .members(new ChannelId(auth.appId(), name.base()))
                        .toCompletableFuture()
                        .handle((s, t) -> {
                            if (t != null) {
                                r.put("error", AblyException.errorOf(t));
                            } else {
                                r.put("presence", s.members());
                            }
                            return r;
                        });
            } catch (RuntimeException e) {
                r.put("error", AblyException.errorOf(e));
                f = CompletableFuture.completedFuture(r);
            }
            results.add(f);
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> call.ok(200, batchResult(results)));
    }

    private static Map<String, Object> batchResult(List<CompletableFuture<Map<String, Object>>> results) {
        int ok = 0;
        int failed = 0;
        List<Map<String, Object>> out = new ArrayList<>();
        for (CompletableFuture<Map<String, Object>> f : results) {
            Map<String, Object> r = f.join();
            if (r.containsKey("error")) {
                failed++;
            } else {
                ok++;
            }
            out.add(r);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("successCount", ok);
        m.put("failureCount", failed);
        m.put("results", out);
        return m;
    }
}
