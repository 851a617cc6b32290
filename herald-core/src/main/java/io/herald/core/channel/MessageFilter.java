package io.herald.core.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;

/**
 * The filter of a derived channel ({@code [filter=<base64 expression>]name}, SPEC RTS5a, DO2a): a JMESPath
 * expression evaluated against each message as {@code {"name": …, "clientId": …, "headers": extras.headers}}; only
 * messages for which it is truthy are delivered. The supported subset: field paths ({@code headers.number}), JSON
 * literals in backticks, raw strings in single quotes, {@code == != < <= > >=}, {@code && || !} and parentheses.
 */
public final class MessageFilter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LENGTH = 2048;
    /** Deepest nesting of parentheses and negations; parsing and evaluating recurse once per level. */
    static final int MAX_DEPTH = 32;

    private interface Node {
        JsonNode eval(JsonNode input);
    }

    private final String source;
    private final Node root;

    private MessageFilter(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** Compiles an expression; 40010 (invalid channel name) when it is not one we understand. */
    public static MessageFilter compile(String expression) {
        if (expression.length() > MAX_LENGTH) {
            throw invalid("filter expression longer than " + MAX_LENGTH + " characters");
        }
        Parser p = new Parser(expression);
        Node n = p.or();
        p.skipSpace();
        if (p.pos != expression.length()) {
            throw invalid("unexpected '" + expression.substring(p.pos) + "' in filter expression");
        }
        return new MessageFilter(expression, n);
    }

    /** Whether the message passes the filter. */
    public boolean matches(Message m) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        if (m.name != null) {
            input.put("name", m.name);
        }
        if (m.clientId != null) {
            input.put("clientId", m.clientId);
        }
        if (m.extras != null && m.extras.has("headers")) {
            input.set("headers", m.extras.get("headers"));
        }
        return truthy(root.eval(input));
    }

    @Override
    public String toString() {
        return source;
    }

    private static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual()) {
            return !v.textValue().isEmpty();
        }
        if (v.isContainerNode()) {
            return !v.isEmpty();
        }
        return true;
    }

    private static AblyException invalid(String message) {
        return new AblyException(ErrorCode.INVALID_CHANNEL_NAME, "Invalid channel name: " + message);
    }

    private static final class Parser {
        private final String s;
        int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean eat(String token) {
            skipSpace();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw invalid("filter expression nested more than " + MAX_DEPTH + " levels deep");
            }
        }

        Node or() {
            Node left = and();
            while (eat("||")) {
                Node l = left;
                Node r = and();
                left = in -> {
                    JsonNode a = l.eval(in);
                    return truthy(a) ? a : r.eval(in);
                };
            }
            return left;
        }

        Node and() {
            Node left = not();
            while (eat("&&")) {
                Node l = left;
                Node r = not();
                left = in -> {
                    JsonNode a = l.eval(in);
                    return truthy(a) ? r.eval(in) : a;
                };
            }
            return left;
        }

        Node not() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '!' && !s.startsWith("!=", pos)) {
                pos++;
                enter();
                Node inner = not();
                depth--;
                return in -> BooleanNode.valueOf(!truthy(inner.eval(in)));
            }
            return comparison();
        }

        Node comparison() {
            Node left = primary();
            for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
                if (eat(op)) {
                    Node right = primary();
                    return in -> compare(op, left.eval(in), right.eval(in));
                }
            }
            return left;
        }

        private static JsonNode compare(String op, JsonNode a, JsonNode b) {
            a = a == null || a.isMissingNode() ? NullNode.instance : a;
            b = b == null || b.isMissingNode() ? NullNode.instance : b;
            switch (op) {
                case "==" -> {
                    return BooleanNode.valueOf(equal(a, b));
                }
                case "!=" -> {
                    return BooleanNode.valueOf(!equal(a, b));
                }
                default -> {
                    if (!a.isNumber() || !b.isNumber()) {
                        return NullNode.instance;
                    }
                    int c = Double.compare(a.doubleValue(), b.doubleValue());
                    return BooleanNode.valueOf(
                            switch (op) {
                                case "<" -> c < 0;
                                case "<=" -> c <= 0;
                                case ">" -> c > 0;
                                default -> c >= 0;
                            });
                }
            }
        }

        private static boolean equal(JsonNode a, JsonNode b) {
            if (a.isNumber() && b.isNumber()) {
                return a.decimalValue().compareTo(b.decimalValue()) == 0;
            }
            return a.equals(b);
        }

        Node primary() {
            skipSpace();
            if (pos >= s.length()) {
                throw invalid("filter expression ends too early");
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                enter();
                Node inner = or();
                depth--;
                if (!eat(")")) {
                    throw invalid("missing ')' in filter expression");
                }
                return inner;
            }
            if (c == '`') {
                int end = s.indexOf('`', pos + 1);
                if (end < 0) {
                    throw invalid("unterminated literal in filter expression");
                }
                String lit = s.substring(pos + 1, end).replace("\\`", "`");
                pos = end + 1;
                JsonNode value;
                try {
                    value = JSON.readTree(lit);
                } catch (java.io.IOException e) {
                    value = TextNode.valueOf(lit);
                }
                final JsonNode v = value == null ? NullNode.instance : value;
                return in -> v;
            }
            if (c == '\'') {
                int end = s.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw invalid("unterminated string in filter expression");
                }
                TextNode v = TextNode.valueOf(s.substring(pos + 1, end));
                pos = end + 1;
                return in -> v;
            }
            return path();
        }

        Node path() {
            java.util.List<String> parts = new java.util.ArrayList<>();
            do {
                skipSpace();
                parts.add(identifier());
            } while (eat("."));
            String[] names = parts.toArray(String[]::new);
            return in -> {
                JsonNode cur = in;
                for (String n : names) {
                    cur = cur == null ? null : cur.get(n);
                }
                return cur == null ? NullNode.instance : cur;
            };
        }

        String identifier() {
            if (pos < s.length() && s.charAt(pos) == '"') {
                int end = s.indexOf('"', pos + 1);
                if (end < 0) {
                    throw invalid("unterminated identifier in filter expression");
                }
                String id = s.substring(pos + 1, end);
                pos = end + 1;
                return id;
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos || Character.isDigit(s.charAt(start))) {
                throw invalid("expected a field name at '" + s.substring(start) + "' in filter expression");
            }
            return s.substring(start, pos);
        }
    }
}
