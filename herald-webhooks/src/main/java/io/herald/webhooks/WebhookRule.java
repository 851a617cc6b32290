package io.herald.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One webhook rule of an app, from the configuration only (clients can never set or change a rule's URL).
 *
 * @param appId         the app whose events it delivers, and whose first key signs the requests
 * @param id            the rule's id, the envelope's {@code webhookId}: {@code appId:index}
 * @param url           where the batches are POSTed (http or https)
 * @param channelFilter matched ({@code find}) against the channel name; for lifecycle events, the name of the channel
 *                      whose lifecycle changed; {@code null} matches every channel
 * @param sources       the kinds of events delivered
 * @param batch         several events per request (up to the batch limits), else one per request
 * @param headers       extra request headers
 */
public record WebhookRule(
        String appId,
        String id,
        URI url,
        @Nullable Pattern channelFilter,
        Set<Source> sources,
        boolean batch,
        Map<String, String> headers) {
    public WebhookRule {
        sources = Set.copyOf(sources);
        headers = Map.copyOf(headers);
    }

    /** Whether the rule delivers this source's events of this channel. */
    public boolean matches(Source source, String channelName) {
        return sources.contains(source)
                && (channelFilter == null || channelFilter.matcher(channelName).find());
    }

    /**
     * Reads a rule as the configuration gives it; every error message names the setting.
     *
     * @param where the rule's path in the configuration, e.g. {@code apps[0].webhooks[1]}
     * @param index the rule's position among the app's rules: its id is {@code appId:index}
     */
    public static WebhookRule parse(
            String appId,
            String where,
            int index,
            @Nullable String url,
            @Nullable String channelFilter,
            @Nullable List<String> sources,
            @Nullable Boolean enveloped,
            @Nullable Boolean batch,
            @Nullable Map<String, String> headers) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(where + ".url is required");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ".url: not a URL (" + e.getMessage() + ")", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    where + ".url: must be an http:// or https:// URL with a host, got " + url);
        }
        Pattern filter = null;
        if (channelFilter != null && !channelFilter.isEmpty()) {
            try {
                filter = Pattern.compile(channelFilter);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        where + ".channelFilter: not a regular expression: " + e.getDescription(), e);
            }
        }
        Set<Source> kinds = EnumSet.noneOf(Source.class);
        if (sources == null || sources.isEmpty()) {
            kinds.add(Source.MESSAGE);
        } else {
            for (String s : sources) {
                try {
                    kinds.add(Source.of(s == null ? "" : s));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".sources: " + e.getMessage(), e);
                }
            }
        }
        if (Boolean.FALSE.equals(enveloped)) {
            // refused rather than ignored: the receiver would be written for a format Herald does not send
            throw new IllegalArgumentException(
                    where + ".enveloped: only enveloped requests are supported; remove it or set true");
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                String name = e.getKey();
                if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")
                        || name.equalsIgnoreCase("content-type")
                        || name.toLowerCase(Locale.ROOT).startsWith("x-ably-")) {
                    throw new IllegalArgumentException(where + ".headers: '" + name
                            + "' is not a header name a rule may set (Content-Type and X-Ably-* are Herald's)");
                }
                String value = e.getValue() == null ? "" : e.getValue();
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException(where + ".headers." + name + ": line breaks are not allowed");
                }
                h.put(name, value);
            }
        }
        return new WebhookRule(appId, appId + ":" + index, uri, filter, kinds, batch == null || batch, h);
    }
}
