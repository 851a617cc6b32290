package io.herald.server.recording;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where to connect and with which API key: {@code url} is the REST base ({@code http://host:port}); the realtime
 * WebSocket is the same host and port with {@code ws} or {@code wss}, as Herald serves both on one port.
 */
public record Endpoint(URI rest, String key) {

    /** Checks the URL (http or https, a host) and the key's shape ({@code appId.keyId:secret}). */
    public static Endpoint of(String url, String key) throws RecordingException {
        URI uri;
        try {
            uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (java.net.URISyntaxException e) {
            throw new RecordingException(
                    RecordingException.USAGE, "--url '" + url + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
            throw new RecordingException(
                    RecordingException.USAGE, "--url '" + url + "' must be http://host[:port] or https://host[:port]");
        }
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1 || key.indexOf('.') < 0 || key.indexOf('.') > colon) {
            throw new RecordingException(
                    RecordingException.USAGE, "the key is not an API key of the form appId.keyId:secret");
        }
        return new Endpoint(uri, key);
    }

    /** The realtime URL with the key, JSON format, protocol 5 and heartbeats, and an agent name. */
    URI websocket() {
        String scheme = "https".equals(rest.getScheme()) ? "wss" : "ws";
        String path = rest.getRawPath() == null ? "" : rest.getRawPath();
        return URI.create(scheme + "://" + rest.getRawAuthority() + path + "/?key="
                + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&format=json&v=5&heartbeats=true"
                + "&agent=herald-recording");
    }

    /** {@code POST} target for a channel's messages. */
    URI messages(String channel) {
        String encoded = URLEncoder.encode(channel, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(rest + "/channels/" + encoded + "/messages");
    }

    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key name, safe to print (the secret is not). */
    String keyName() {
        return key.substring(0, key.indexOf(':'));
    }

    @Override
    public String toString() {
        return rest + " (key " + keyName() + ")";
    }
}
