package io.herald.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * An Ably capability: resource patterns (channel names with wildcards) mapped to the operations they allow
 * (docs/protocol.md §5.2, §5; SPEC TK2b, RSA6). Immutable and thread-safe.
 *
 * <h2>Validation</h2>
 * {@link #parse(String)} and {@link #of(Map)} reject, with {@link AuthException} 40000/400 and a message
 * that says what is wrong: text that is not JSON, JSON that is not an object, duplicate resources, an
 * empty resource name, a value that is not an array of strings, an empty operations array, an unknown
 * operation (see {@link Operations#KNOWN}) and {@code "*"} mixed with other operations (JST
 * rest/capability.test.js "Invalid capabilities"). Resource names with unpaired UTF-16 surrogates are
 * rejected as well: {@code JSON.parse} accepts them, but they have no UTF-8 form, so JavaScript and Java would
 * sign different bytes. Repeated operations are merged (ably-js would keep them). An empty object
 * {@code {}} is accepted and {@link #isEmpty() empty}.
 *
 * <h2>Canonical form</h2>
 * {@link #canonical()} is byte for byte what ably-js {@code c14n} produces (JS common/lib/client/auth.ts):
 * {@code JSON.stringify} of an object whose keys were inserted sorted by UTF-16 code unit, each operations
 * array sorted the same way. Because {@code JSON.stringify} lists array-index keys ({@code "0"} ...
 * {@code "4294967294"}) first in numeric order, such resources come first here too. String escaping is
 * {@code JSON.stringify}'s: {@code < > & = '} and non-ASCII stay literal. ably-java's Gson output differs
 * (<code>&#92;u003c</code> etc.), which is why a TokenRequest MAC is always checked over the string as received
 * (docs/protocol.md §4.5), never over this form.
 *
 * <h2>Matching</h2>
 * See {@link #allows(String, String)}; the rules are docs/protocol.md §5.3.
 */
public final class Capability {

    /** Canonical key order: array-index keys numerically first, then by UTF-16 code unit (as JSON.stringify). */
    private static final Comparator<String> KEY_ORDER = (a, b) -> {
        long ia = arrayIndex(a);
        long ib = arrayIndex(b);
        if (ia >= 0 || ib >= 0) {
            if (ia >= 0 && ib >= 0) {
                return Long.compare(ia, ib);
            }
            return ia >= 0 ? -1 : 1;
        }
        return a.compareTo(b);
    };

    /** {@code {"*":["*"]}}: every operation on every normal channel. */
    public static final Capability ALL = of(Map.of("*", List.of(Operations.ALL)));

    private static final Capability EMPTY = new Capability(new TreeMap<>());

    private final Map<String, List<String>> resources;
    private final String[] names;
    private final ResourcePattern[] patterns;
    /** Per resource: the operations, or {@code null} for {@code "*"} (all). */
    private final @Nullable Set<String>[] ops;

    private final String canonical;

    @SuppressWarnings("unchecked")
    private Capability(Map<String, ? extends Set<String>> validated) {
        TreeMap<String, Set<String>> ordered = new TreeMap<>(KEY_ORDER);
        ordered.putAll(validated);
        Map<String, List<String>> res = new LinkedHashMap<>();
        int n = ordered.size();
        names = new String[n];
        patterns = new ResourcePattern[n];
        ops = (@Nullable Set<String>[]) new Set<?>[n];
        StringBuilder sb = new StringBuilder(32 * (n + 1)).append('{');
        int i = 0;
        for (Map.Entry<String, Set<String>> e : ordered.entrySet()) {
            List<String> sorted = List.copyOf(new TreeSet<>(e.getValue()));
            res.put(e.getKey(), sorted);
            names[i] = e.getKey();
            patterns[i] = ResourcePattern.parse(e.getKey());
            ops[i] = sorted.contains(Operations.ALL) ? null : Set.copyOf(sorted);
            if (i > 0) {
                sb.append(',');
            }
            Json.quoteJs(e.getKey(), sb);
            sb.append(":[");
            for (int j = 0; j < sorted.size(); j++) {
                if (j > 0) {
                    sb.append(',');
                }
                Json.quoteJs(sorted.get(j), sb);
            }
            sb.append(']');
            i++;
        }
        resources = Collections.unmodifiableMap(res);
        canonical = sb.append('}').toString();
    }

    /**
     * Parses a capability JSON string such as {@code {"chat:*":["publish","subscribe"]}}.
     *
     * @throws AuthException 40000/400 naming what is wrong (see the class comment)
     */
    public static Capability parse(String json) {
        if (json == null || json.isEmpty()) {
            throw AuthException.badRequest("capability is empty; expected a JSON object");
        }
        JsonNode root;
        try {
            root = Json.read(json);
        } catch (JsonProcessingException e) {
            throw AuthException.badRequest("capability is not valid JSON: " + Json.describe(e));
        }
        if (root == null || !root.isObject()) {
            throw AuthException.badRequest("capability must be a JSON object, got " + Json.typeOf(root));
        }
        Map<String, Set<String>> map = new TreeMap<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            JsonNode value = f.getValue();
            String resource = f.getKey();
            if (!value.isArray()) {
                throw AuthException.badRequest(
                        where(resource) + "operations must be an array of strings, got " + Json.typeOf(value));
            }
            List<String> list = new ArrayList<>(value.size());
            for (JsonNode op : value) {
                if (!op.isTextual()) {
                    throw AuthException.badRequest(
                            where(resource) + "operations must be strings, got " + Json.typeOf(op));
                }
                list.add(op.textValue());
            }
            map.put(resource, validate(resource, list));
        }
        return new Capability(map);
    }

    /**
     * A capability from a map of resource to operations, validated like {@link #parse(String)}.
     *
     * @throws AuthException 40000/400 naming what is wrong
     */
    public static Capability of(Map<String, ? extends Collection<String>> resources) {
        if (resources == null) {
            throw AuthException.badRequest("capability is missing");
        }
        Map<String, Set<String>> map = new TreeMap<>();
        for (Map.Entry<String, ? extends Collection<String>> e : resources.entrySet()) {
            if (e.getKey() == null) {
                throw AuthException.badRequest("capability has a null resource name");
            }
            if (e.getValue() == null) {
                throw AuthException.badRequest(where(e.getKey()) + "operations must be an array of strings, got null");
            }
            map.put(e.getKey(), validate(e.getKey(), e.getValue()));
        }
        return new Capability(map);
    }

    private static Set<String> validate(String resource, Collection<String> operations) {
        if (resource.isEmpty()) {
            throw AuthException.badRequest("capability has an empty resource name");
        }
        if (hasUnpairedSurrogate(resource)) {
            throw AuthException.badRequest("capability resource names must not contain unpaired UTF-16 surrogates");
        }
        if (operations.isEmpty()) {
            throw AuthException.badRequest(where(resource) + "operations list is empty");
        }
        Set<String> set = new TreeSet<>();
        for (String op : operations) {
            if (op == null) {
                throw AuthException.badRequest(where(resource) + "operations must be strings, got null");
            }
            if (!Operations.ALL.equals(op) && !Operations.KNOWN.contains(op)) {
                throw AuthException.badRequest(where(resource) + "unknown operation " + quoted(op));
            }
            set.add(op);
        }
        if (set.size() > 1 && set.contains(Operations.ALL)) {
            throw AuthException.badRequest(where(resource) + "\"*\" must be the only operation");
        }
        return set;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String where(String resource) {
        return "capability resource " + quoted(resource) + ": ";
    }

    private static String quoted(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder sb = new StringBuilder();
        Json.quoteJs(shown, sb);
        return sb.toString();
    }

    /** The canonical JSON text, equal to ably-js {@code c14n} (see the class comment); {@code {}} if empty. */
    public String canonical() {
        return canonical;
    }

    /** Resource to sorted operations, unmodifiable, in canonical order; {@code "*"} is kept as {@code ["*"]}. */
    public Map<String, List<String>> resources() {
        return resources;
    }

    /** True if no resource is granted. */
    public boolean isEmpty() {
        return names.length == 0;
    }

    /**
     * The effective capability of a token: what both this and {@code other} allow (docs/protocol.md §5.4;
     * DOCS auth/capabilities.mdx "Token capability determination"). For every pair of resources whose
     * patterns overlap, the result holds the more specific resource (or, when neither covers the other, the
     * pattern matching exactly their common names, e.g. {@code a:*:c} and {@code a:b:*} give {@code a:b:c})
     * with the common operations, where {@code "*"} on one side stands for all operations of the other.
     * Symmetric. May be {@link #isEmpty() empty}; an empty result is an error the caller reports
     * (40160/401, docs/protocol.md §5.4).
     */
    public Capability intersect(Capability other) {
        Map<String, Set<String>> result = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            for (int j = 0; j < other.names.length; j++) {
                String resource = patterns[i].meet(other.patterns[j]);
                if (resource == null) {
                    continue;
                }
                Set<String> common = meetOps(ops[i], other.ops[j]);
                if (common.isEmpty()) {
                    continue;
                }
                Set<String> existing = result.get(resource);
                if (existing == null) {
                    result.put(resource, new TreeSet<>(common));
                } else if (!existing.contains(Operations.ALL)) {
                    if (common.contains(Operations.ALL)) {
                        existing.clear();
                    }
                    existing.addAll(common);
                }
            }
        }
        return result.isEmpty() ? EMPTY : new Capability(result);
    }

    private static Set<String> meetOps(Set<String> a, Set<String> b) {
        if (a == null) {
            return b == null ? Set.of(Operations.ALL) : b;
        }
        if (b == null) {
            return a;
        }
        Set<String> r = new TreeSet<>(a);
        r.retainAll(b);
        return r;
    }

    /**
     * True if {@code operation} is allowed on {@code channel} by at least one resource (docs/protocol.md §5.3).
     * Resource names split into {@code :} segments; a {@code *} segment replaces one whole segment, and in
     * last position one or more trailing segments ({@code ns:*} matches {@code ns:a} and {@code ns:a:b} but
     * not {@code ns}); {@code foo*} is literal. {@code *} matches every normal channel but no {@code [queue]...}
     * or {@code [meta]...} resource; {@code [queue]*} and {@code [meta]*} match their namespace; {@code [*]*}
     * matches everything.
     *
     * <p>A leading channel qualifier that is not a namespace ({@code [?rewind=1]chat},
     * {@code [filter=...]chat}) is stripped before matching; a namespace qualifier ({@code [meta]log},
     * {@code [meta?rewind=1]log}, or any {@code [word]}) is kept, so plain patterns never match it.
     *
     * @param operation one of {@link Operations#KNOWN}, or {@code "*"} meaning "every operation"
     * @throws IllegalArgumentException if {@code operation} is not a known operation
     */
    public boolean allows(String channel, String operation) {
        if (Operations.ALL.equals(operation)) {
            return operationsFor(channel).size() == Operations.KNOWN.size();
        }
        checkOperation(operation);
        ResourcePattern name = ResourcePattern.channel(channel);
        for (int i = 0; i < names.length; i++) {
            if ((ops[i] == null || ops[i].contains(operation)) && patterns[i].matches(name)) {
                return true;
            }
        }
        return false;
    }

    /** Every operation allowed on {@code channel}: the union over all matching resources, {@code "*"} expanded to {@link Operations#KNOWN}. Sorted, unmodifiable. */
    public Set<String> operationsFor(String channel) {
        ResourcePattern name = ResourcePattern.channel(channel);
        Set<String> result = new TreeSet<>();
        for (int i = 0; i < names.length; i++) {
            if (patterns[i].matches(name)) {
                if (ops[i] == null) {
                    return Operations.KNOWN;
                }
                result.addAll(ops[i]);
            }
        }
        return Collections.unmodifiableSet(result);
    }

    /**
     * Why {@code operation} on {@code channel} is allowed or not: the first resource (canonical order) that
     * grants it; failing that, the first resource that matches the channel without granting it; failing that,
     * none ({@code resource == null}).
     *
     * @throws IllegalArgumentException if {@code operation} is not a known operation
     */
    public Explanation explain(String channel, String operation) {
        checkOperation(operation);
        ResourcePattern name = ResourcePattern.channel(channel);
        int firstMatch = -1;
        for (int i = 0; i < names.length; i++) {
            if (patterns[i].matches(name)) {
                if (ops[i] == null || ops[i].contains(operation)) {
                    return new Explanation(true, names[i], operationsOf(i));
                }
                if (firstMatch < 0) {
                    firstMatch = i;
                }
            }
        }
        return firstMatch < 0
                ? new Explanation(false, null, List.of())
                : new Explanation(false, names[firstMatch], operationsOf(firstMatch));
    }

    /** The operations of resource {@code i} as written; every name is a key of {@code resources}. */
    private List<String> operationsOf(int i) {
        return Objects.requireNonNull(resources.get(names[i]), names[i]);
    }

    private static void checkOperation(String operation) {
        if (!Operations.KNOWN.contains(operation)) {
            throw new IllegalArgumentException("unknown capability operation: " + operation);
        }
    }

    /**
     * The outcome of {@link #explain}.
     *
     * @param allowed    whether the operation is allowed
     * @param resource   the resource pattern that decided, or {@code null} if no resource matches the channel
     * @param operations that resource's operations as written ({@code ["*"]} kept), empty if none matched
     */
    public record Explanation(boolean allowed, @Nullable String resource, List<String> operations) {}

    /** Equal if the canonical forms are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Capability c && canonical.equals(c.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    /** The {@link #canonical()} form. */
    @Override
    public String toString() {
        return canonical;
    }

    /** The value of {@code s} if it is an array index ({@code 0 .. 2^32-2} without leading zeros), else -1. */
    static long arrayIndex(String s) {
        int n = s.length();
        if (n == 0 || n > 10 || (n > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 4294967294L ? v : -1;
    }
}
