package io.herald.bench.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named sections of text with {@code {{name}}} placeholders, read from a resource. A line {@code @@ name} starts a
 * section; the section is the lines up to the next such line, joined with line breaks (so a section ends with n line
 * breaks when n empty lines follow its last line). A line ending in a backslash continues on the next line without
 * a break, as in a Java text block. Lines before the first section are comments. Rendering fails on an unknown
 * section or a placeholder without a value, so a template and its caller cannot drift apart silently.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9]+)}}");
    private final Map<String, String> sections;

    private Template(Map<String, String> sections) {
        this.sections = sections;
    }

    static Template load(String resource) {
        try (InputStream in = Template.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template resource missing: " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Template parse(String text) {
        Map<String, String> sections = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        String all = text.replace("\r\n", "\n");
        if (all.endsWith("\n")) {
            all = all.substring(0, all.length() - 1); // the file's own last line break, as if a header followed
        }
        for (String line : all.split("\n", -1)) {
            if (line.startsWith("@@ ")) {
                if (name != null) {
                    sections.put(name, finish(body));
                }
                name = line.substring(3).trim();
                body.setLength(0);
            } else if (name != null) {
                body.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line + "\n");
            }
        }
        if (name != null) {
            sections.put(name, finish(body));
        }
        return new Template(sections);
    }

    private static String finish(StringBuilder body) {
        // the last line's break separates the section from the next header, it is not part of the text
        return body.length() > 0 && body.charAt(body.length() - 1) == '\n'
                ? body.substring(0, body.length() - 1)
                : body.toString();
    }

    String render(String section) {
        return render(section, Map.of());
    }

    String render(String section, Map<String, ?> values) {
        String text = sections.get(section);
        if (text == null) {
            throw new IllegalArgumentException("no section '" + section + "' in the template");
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(
                        "section '" + section + "' needs a value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(v)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
