package io.herald.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Messages for a configuration file that is not valid YAML, safe to print: the line and column, the key on that line
 * when there is one, and the parser's description of the problem, but never the file's content. The parsers' own
 * messages quote the source (Jackson: the whole file; SnakeYAML: the offending line with a caret), which would put key
 * secrets, tokens and Redis passwords in logs and terminals.
 */
final class YamlErrors {
    private static final Pattern KEY = Pattern.compile("^\\s*(?:-\\s+)?([A-Za-z_][A-Za-z0-9_.-]{0,63})\\s*:");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

    private YamlErrors() {}

    static String describe(Exception e, byte[] content) {
        int line = -1;
        int column = -1;
        int begun = -1;
        String problem = null;
        for (Throwable t = e; t != null && problem == null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) {
                if (m.getProblemMark() != null) {
                    line = m.getProblemMark().getLine() + 1;
                    column = m.getProblemMark().getColumn() + 1;
                }
                if (m.getContextMark() != null) {
                    begun = m.getContextMark().getLine() + 1;
                }
                problem = m.getProblem();
                if (m.getContext() != null) {
                    problem = m.getContext() + ": " + problem;
                }
            }
        }
        if (line < 0 && e instanceof JsonProcessingException j && j.getLocation() != null) {
            JsonLocation loc = j.getLocation();
            line = loc.getLineNr();
            column = loc.getColumnNr();
        }
        if (problem == null) {
            problem = e instanceof JsonProcessingException j
                    ? j.getOriginalMessage()
                    : e.getClass().getSimpleName();
        }
        StringBuilder sb = new StringBuilder("not valid YAML");
        if (line > 0) {
            sb.append(" at line ").append(line);
            if (column > 0) {
                sb.append(", column ").append(column);
            }
            String key = keyOn(content, line);
            if (key != null) {
                sb.append(" (key '").append(key).append("')");
            }
            if (begun > 0 && begun != line) {
                sb.append(", in what begins at line ").append(begun);
                String begunKey = keyOn(content, begun);
                if (begunKey != null) {
                    sb.append(" (key '").append(begunKey).append("')");
                }
            }
        }
        return sb.append(": ").append(scrub(problem)).toString();
    }

    /**
     * The line where {@code key} is written: the parser reports the position after the key (its value, or the next
     * line), so this looks on that line and the two above it for the nearest one that holds the key (block or flow
     * style); when none does, {@code reported}.
     */
    static int lineOfKey(byte[] content, String key, int reported) {
        if (reported <= 0) {
            return reported;
        }
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1);
        Pattern written = Pattern.compile("(?:^|[\\s{,])[\"']?" + Pattern.quote(key) + "[\"']?\\s*:");
        for (int i = Math.min(reported, lines.length); i >= Math.max(1, reported - 2); i--) {
            if (written.matcher(lines[i - 1]).find()) {
                return i;
            }
        }
        return reported;
    }

    private static @Nullable String keyOn(byte[] content, int line) {
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1);
        if (line > lines.length) {
            return null;
        }
        Matcher m = KEY.matcher(lines[line - 1]);
        return m.find() ? m.group(1) : null;
    }

    /** The problem's text with anything quoted (a scalar, a token) replaced, one line, at most 200 characters. */
    private static String scrub(String problem) {
        if (problem == null) {
            return "syntax error";
        }
        String s = QUOTED.matcher(problem)
                .replaceAll("'…'")
                .replaceAll("\\s+", " ")
                .trim();
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
