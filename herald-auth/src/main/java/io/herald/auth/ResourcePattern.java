package io.herald.auth;

import org.jspecify.annotations.Nullable;

/**
 * One capability resource, parsed for matching (docs/protocol.md §5.3; DOCS auth/capabilities.mdx
 * "Resource names and wildcards").
 *
 * <p>A resource is an optional namespace qualifier and a body: {@code [meta]*} has namespace {@code meta},
 * {@code [queue]*} {@code queue}, {@code [*]*} the wildcard namespace {@code *} (any namespace, and none),
 * and a plain {@code chat:*} no namespace. The body is split into {@code :}-separated segments. A {@code *}
 * segment matches exactly one segment, except in last position, where it matches one or more trailing
 * segments. A {@code *} inside a segment ({@code foo*}) is a literal character.
 */
final class ResourcePattern {

    /** The namespace that matches every namespace and none. */
    static final String ANY_NAMESPACE = "*";

    private static final String STAR = "*";

    /** The namespace without brackets; {@code null} for a normal channel. */
    final @Nullable String namespace;

    final String[] segments;
    /** True if the last segment is {@code *} (one or more trailing segments). */
    final boolean trailingWildcard;

    private ResourcePattern(@Nullable String namespace, String[] segments) {
        this.namespace = namespace;
        this.segments = segments;
        this.trailingWildcard = STAR.equals(segments[segments.length - 1]);
    }

    /** Parses a capability resource; no qualifier is stripped ({@code [meta]x} stays in namespace {@code meta}). */
    static ResourcePattern parse(String resource) {
        String ns = null;
        String body = resource;
        if (resource.startsWith("[")) {
            int close = resource.indexOf(']');
            if (close > 0) {
                ns = resource.substring(1, close);
                body = resource.substring(close + 1);
            }
        }
        return new ResourcePattern(ns, body.split(":", -1));
    }

    /**
     * Parses a channel name as the thing being accessed. Leading channel qualifiers that do not name a
     * namespace are stripped, so {@code [?rewind=1]chat} is {@code chat} and {@code [filter=...]chat} is
     * {@code chat} (SPEC RTS5a1) [inferred, docs/protocol.md §5.3]. A qualifier whose type (the part before any
     * {@code ?}) is non-empty and has no {@code =} is a resource namespace and is kept: {@code [meta]log} and
     * {@code [meta?rewind=1]log} are {@code log} in namespace {@code meta}, which {@code *} does not match. An
     * unknown namespace such as {@code [foo]x} is kept too, so only {@code [foo]...} or {@code [*]...} resources
     * match it (fail closed).
     */
    static ResourcePattern channel(String channel) {
        String name = channel;
        while (name.startsWith("[")) {
            int close = name.indexOf(']');
            if (close < 0) {
                break;
            }
            int q = name.indexOf('?');
            int typeEnd = q >= 0 && q < close ? q : close;
            String type = name.substring(1, typeEnd);
            if (type.isEmpty() || type.indexOf('=') >= 0) {
                name = name.substring(close + 1);
                continue;
            }
            return new ResourcePattern(type, name.substring(close + 1).split(":", -1));
        }
        return new ResourcePattern(null, name.split(":", -1));
    }

    /** True if this resource pattern matches {@code name} (a parsed channel name, see {@link #channel}). */
    boolean matches(ResourcePattern name) {
        if (!namespaceMatches(namespace, name.namespace)) {
            return false;
        }
        String[] p = segments;
        String[] s = name.segments;
        int n = p.length;
        if (trailingWildcard ? s.length < n : s.length != n) {
            return false;
        }
        int fixed = trailingWildcard ? n - 1 : n;
        for (int i = 0; i < fixed; i++) {
            if (!STAR.equals(p[i]) && !p[i].equals(s[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean namespaceMatches(@Nullable String pattern, @Nullable String actual) {
        if (ANY_NAMESPACE.equals(pattern)) {
            return true;
        }
        return pattern == null ? actual == null : pattern.equals(actual);
    }

    /**
     * The resource matching exactly the names both patterns match, or {@code null} if they are disjoint.
     * If one pattern covers the other, the result is the more specific one unchanged (docs/protocol.md §5.4).
     * Otherwise the result is the segment-wise meet, e.g. {@code a:*:c} and {@code a:b:*} give {@code a:b:c}.
     */
    @Nullable
    String meet(ResourcePattern o) {
        String ns;
        if (ANY_NAMESPACE.equals(namespace)) {
            ns = o.namespace;
        } else if (ANY_NAMESPACE.equals(o.namespace) || java.util.Objects.equals(namespace, o.namespace)) {
            ns = namespace;
        } else {
            return null;
        }
        String[] body = meetSegments(this, o);
        if (body == null) {
            return null;
        }
        return (ns == null ? "" : "[" + ns + "]") + String.join(":", body);
    }

    private static String @Nullable [] meetSegments(ResourcePattern a, ResourcePattern b) {
        String[] p = a.segments;
        String[] q = b.segments;
        if (!a.trailingWildcard && !b.trailingWildcard) {
            if (p.length != q.length) {
                return null;
            }
            String[] r = new String[p.length];
            for (int i = 0; i < p.length; i++) {
                if ((r[i] = meetSegment(p[i], q[i])) == null) {
                    return null;
                }
            }
            return r;
        }
        // Let "short" be a pattern ending in a multi-segment wildcard, at most as long as "long"
        // (or the only one with a trailing wildcard): its tail covers everything from its last index on.
        ResourcePattern shortP;
        ResourcePattern longP;
        if (a.trailingWildcard && b.trailingWildcard) {
            shortP = p.length <= q.length ? a : b;
            longP = shortP == a ? b : a;
        } else {
            shortP = a.trailingWildcard ? a : b;
            longP = shortP == a ? b : a;
            if (longP.segments.length < shortP.segments.length) {
                return null;
            }
        }
        String[] s = shortP.segments;
        String[] l = longP.segments;
        String[] r = l.clone();
        for (int i = 0; i < s.length - 1; i++) {
            if ((r[i] = meetSegment(s[i], l[i])) == null) {
                return null;
            }
        }
        return r;
    }

    private static @Nullable String meetSegment(String x, String y) {
        if (STAR.equals(x)) {
            return y;
        }
        if (STAR.equals(y) || x.equals(y)) {
            return x;
        }
        return null;
    }

    @Override
    public String toString() {
        return (namespace == null ? "" : "[" + namespace + "]") + String.join(":", segments);
    }
}
