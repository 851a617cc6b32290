package io.herald.core.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.channel.MessageRules;
import io.herald.core.internal.AblyException;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.core.security.RateLimits;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One REST request being handled: its formats (request body from {@code Content-Type}, response from
 * {@code Accept}), its path segments, and its credentials.
 */
public final class RestCall {
    public final RestRequest request;
    public final Format responseFormat;
    public final Format bodyFormat;
    final List<String> segments;
    private final RateLimits rateLimits;
    /** The app of the credentials presented, once authenticated (for the app's usage statistics). */
    @Nullable
    String appId;

    RestCall(RestRequest request, List<String> segments, RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.request = request;
        this.segments = segments;
        String accept = request.header("accept");
        this.responseFormat = accept != null
                        && accept.toLowerCase(Locale.ROOT).contains("msgpack")
                        && !accept.toLowerCase(Locale.ROOT).startsWith("application/json")
                ? Format.MSGPACK
                : Format.JSON;
        String ct = request.header("content-type");
        this.bodyFormat = ct != null && ct.toLowerCase(Locale.ROOT).contains("msgpack") ? Format.MSGPACK : Format.JSON;
    }

    /** The path's {@code i}th segment, percent-decoded. */
    public String segment(int i) {
        String raw = segments.get(i);
        if (raw.indexOf('%') < 0) {
            return raw; // nothing to decode ('+' is a plus in a path, not a space)
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "Invalid percent-encoding in the request path");
        }
    }

    @Nullable
    public String param(String name) {
        return request.query().get(name);
    }

    public ProtocolCodec bodyCodec() {
        return ProtocolCodec.of(bodyFormat);
    }

    public JsonNode bodyTree() {
        if (request.body().length == 0) {
            throw new AblyException(ErrorCode.INVALID_REQUEST_BODY, "Request body is missing");
        }
        return bodyCodec().decodeTree(request.body());
    }

    /** A response in the client's format. */
    public RestResponse ok(int status, Object value) {
        return new RestResponse(
                status,
                responseFormat.contentType(),
                ProtocolCodec.of(responseFormat).encodeValue(value));
    }

    public RestResponse okBytes(int status, byte[] body) {
        return new RestResponse(status, responseFormat.contentType(), body);
    }

    /** The request's credentials; 40101 when it has none. */
    public AuthContext authenticate(Authenticator authenticator) {
        AuthContext ctx = authenticateOptional(authenticator);
        if (ctx == null) {
            throw new AblyException(
                    ErrorCode.INVALID_CREDENTIALS,
                    "No authentication information provided: use Basic (API key) or Bearer (token) authorization");
        }
        return ctx;
    }

    /** The request's credentials, or {@code null} when it presents none. */
    @Nullable
    AuthContext authenticateOptional(Authenticator authenticator) {
        AuthContext ctx = credentials(authenticator);
        if (ctx != null) {
            appId = ctx.appId();
            rateLimits.restRequest(ctx.keyName());
        }
        return ctx;
    }

    private @Nullable AuthContext credentials(Authenticator authenticator) {
        String h = request.header("authorization");
        if (h != null) {
            String v = h.trim();
            int sp = v.indexOf(' ');
            String scheme = sp < 0 ? v : v.substring(0, sp);
            String cred = sp < 0 ? "" : v.substring(sp + 1).trim();
            if (scheme.equalsIgnoreCase("Basic")) {
                return authenticator.basic(cred);
            }
            if (scheme.equalsIgnoreCase("Bearer")) {
                return authenticator.bearer(cred);
            }
            throw new AblyException(ErrorCode.INVALID_CREDENTIALS, "Unsupported Authorization scheme '" + scheme + "'");
        }
        String key = param("key");
        if (key != null) {
            return authenticator.key(key);
        }
        String token = param("access_token");
        if (token == null) {
            token = param("accessToken");
        }
        return token == null ? null : authenticator.token(token);
    }

    /** As {@link #publisher(AuthContext)}, publishing on the channel {@code base}: with the credentials' user claim there. */
    public MessageRules.Publisher publisher(AuthContext auth, String base) {
        return publisher(auth).withUserClaim(auth.userClaims().forChannel(base));
    }

    /** Who publishes over REST (SPEC RSA7e2: {@code X-Ably-ClientId} is base64 of the client's clientId). */
    public MessageRules.Publisher publisher(AuthContext auth) {
        String header = request.header("x-ably-clientid");
        String requested = null;
        if (header != null && !header.isEmpty()) {
            try {
                requested = new String(Base64.getDecoder().decode(header.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AblyException(ErrorCode.INVALID_HEADER, "X-Ably-ClientId must be base64");
            }
        }
        String fixed = auth.fixedClientId();
        if (requested != null) {
            if (fixed != null && !fixed.equals(requested)) {
                throw new AblyException(
                        ErrorCode.INCOMPATIBLE_CREDENTIALS,
                        "Invalid clientId for credentials: " + "the credentials are for '" + fixed
                                + "', the request names '" + requested + "'");
            }
            if (fixed == null && !"*".equals(auth.clientId())) {
                throw new AblyException(
                        ErrorCode.INCOMPATIBLE_CREDENTIALS,
                        "Invalid clientId for credentials: anonymous credentials cannot use clientId '" + requested
                                + "'");
            }
            return new MessageRules.Publisher(null, requested, false);
        }
        return new MessageRules.Publisher(null, fixed, fixed == null && "*".equals(auth.clientId()));
    }
}
