package io.herald.server.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed scrape in the Prometheus text format: every sample by its series ({@code name{k="v",...}} with the labels
 * sorted), and the HELP and TYPE of every family. Strict enough to fail on a malformed line.
 */
final class Prometheus {
    final Map<String, Double> samples = new LinkedHashMap<>();
    final Map<String, String> help = new LinkedHashMap<>();
    final Map<String, String> type = new LinkedHashMap<>();

    static Prometheus parse(String text) {
        Prometheus p = new Prometheus();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                p.help.put(parts[0], parts.length > 1 ? parts[1] : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                p.type.put(parts[0], parts[1]);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                int brace = line.indexOf('{');
                int space;
                String name;
                Map<String, String> labels = new TreeMap<>();
                if (brace >= 0 && brace < line.indexOf(' ')) {
                    name = line.substring(0, brace);
                    int i = brace + 1;
                    while (line.charAt(i) != '}') {
                        int eq = line.indexOf('=', i);
                        String k = line.substring(i, eq);
                        if (line.charAt(eq + 1) != '"') {
                            throw new AssertionError("malformed label in: " + line);
                        }
                        StringBuilder v = new StringBuilder();
                        int j = eq + 2;
                        for (; line.charAt(j) != '"'; j++) {
                            char c = line.charAt(j);
                            if (c == '\\') {
                                c = line.charAt(++j);
                                v.append(c == 'n' ? '\n' : c);
                            } else {
                                v.append(c);
                            }
                        }
                        labels.put(k, v.toString());
                        i = j + 1;
                        if (line.charAt(i) == ',') {
                            i++;
                        }
                    }
                    space = i + 1;
                } else {
                    space = line.indexOf(' ');
                    name = line.substring(0, space);
                }
                String value = line.substring(space).trim().split(" ")[0];
                if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                    throw new AssertionError("malformed metric name in: " + line);
                }
                p.samples.put(series(name, labels), Double.parseDouble(value.replace("+Inf", "Infinity")));
            }
        }
        return p;
    }

    /** {@code name{k="v",...}} with labels sorted, or {@code name} without labels. */
    static String series(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        new TreeMap<>(labels)
                .forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    /** The value of a series; labels as alternating names and values. 0 if absent (a counter not yet created). */
    double value(String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return samples.getOrDefault(series(name, l), 0.0);
    }

    boolean has(String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return samples.containsKey(series(name, l));
    }
}
