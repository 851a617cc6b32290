package io.herald.server.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The plain {@code herald serve} command lines read without picocli, for start-up: picocli's classes are class-file
 * version 49, which the class-data sharing archive cannot hold, and building its model of a command by reflection
 * was, after the archive, the largest piece of Java work on the way to ready.
 *
 * <p>Only the forms whose meaning is beyond doubt are read here: each of {@link ServeCommand}'s options at most once
 * ({@code --key} any number of times), as {@code --name value} or {@code --name=value}, a value that is not empty,
 * does not start with {@code -}, {@code @} or a quote and converts as picocli converts it (a port in plain decimal
 * digits);
 * the two flags without a value. Anything else (help, version, an unknown or repeated option, a missing value, an
 * argument file, {@code --}) gets {@code null}, and the caller hands the whole command line to picocli, which gives
 * the usual answer: help, or the error and exit code 2. {@code ServeArgsTest} checks that both read the same.
 */
final class ServeArgs {
    private ServeArgs() {}

    /**
     * The command {@code args} (everything after {@code serve}) describe, its options set as picocli would set them,
     * or {@code null} when picocli has to read them.
     */
    static @Nullable ServeCommand parse(String[] args) {
        ServeCommand c = new ServeCommand();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                return null;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals("--key") && !seen.add(name)) {
                return null;
            }
            if (name.equals("--sandbox") || name.equals("--sandbox-public")) {
                if (value != null) {
                    return null;
                }
                if (name.equals("--sandbox")) {
                    c.sandbox = true;
                } else {
                    c.sandboxPublic = true;
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || value.startsWith("\"")) {
                return null;
            }
            if (!set(c, name, value)) {
                return null;
            }
        }
        return c;
    }

    /** Sets option {@code name} of {@code c} to {@code value}; false when the name is not an option here. */
    private static boolean set(ServeCommand c, String name, String value) {
        switch (name) {
            case "--port" -> {
                if (!plainDecimal(value)) {
                    return false;
                }
                c.port = Integer.parseInt(value);
            }
            case "--host" -> c.host = value;
            case "--config" -> {
                Path p = path(value);
                if (p == null) {
                    return false;
                }
                c.config = p;
            }
            case "--key" -> {
                if (c.keys == null) {
                    c.keys = new ArrayList<>();
                }
                c.keys.add(value);
            }
            case "--engine" -> c.engine = value;
            case "--data-dir" -> {
                Path p = path(value);
                if (p == null) {
                    return false;
                }
                c.dataDir = p;
            }
            case "--fsync" -> c.fsync = value;
            case "--redis" -> c.redis = value;
            case "--server-id" -> c.serverId = value;
            case "--log-format" -> c.logFormat = value;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Digits only, no leading zero, at most 9 of them: read the same by every integer conversion picocli uses. */
    private static boolean plainDecimal(String value) {
        if (value.length() > 9 || (value.length() > 1 && value.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    private static @Nullable Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
