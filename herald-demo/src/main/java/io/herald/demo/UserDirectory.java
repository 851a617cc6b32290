package io.herald.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The demo's users, loaded once from a JSON file:
 * <pre>{@code {"users": [{"username": "alice", "role": "member", "password": "pbkdf2_sha256$600000$…$…"}]}}</pre>
 * Passwords are stored only as {@link PasswordHasher} hashes. Unknown usernames cost as much as wrong
 * passwords (a dummy hash is checked), so response times do not tell which names exist.
 */
public final class UserDirectory {

    /** The bundled demo users: alice and bob (members), mia (moderator), victor (viewer), ada (admin). */
    public static final String DEFAULT_RESOURCE = "/demo-users.json";

    /** Usernames become Ably clientIds: keep them short and plain. */
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private record Entry(User user, String hash) {}

    private final Map<String, Entry> users;
    private final String dummyHash;

    private UserDirectory(Map<String, Entry> users) {
        this.users = Collections.unmodifiableMap(users);
        int iterations = users.values().stream()
                .mapToInt(e -> iterationsOf(e.hash))
                .max()
                .orElse(1);
        this.dummyHash = PasswordHasher.hash("not-a-password".toCharArray(), iterations);
    }

    /** Loads the bundled {@link #DEFAULT_RESOURCE}. */
    public static UserDirectory loadDefault() {
        try (InputStream in = UserDirectory.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return parse(in.readAllBytes(), DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a users file. */
    public static UserDirectory load(Path file) {
        try {
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read users file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the JSON form.
     *
     * @throws IllegalArgumentException naming the source and the bad entry
     */
    static UserDirectory parse(byte[] json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("users");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": expected {\"users\": [{\"username\", \"role\", \"password\"}, …]}");
        }
        Map<String, Entry> users = new LinkedHashMap<>();
        for (JsonNode u : list) {
            String name = u.path("username").asText("");
            if (!USERNAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        source + ": username '" + name + "' must match " + USERNAME.pattern());
            }
            if (users.containsKey(name)) {
                throw new IllegalArgumentException(source + ": username '" + name + "' appears twice");
            }
            Role role;
            String hash = u.path("password").asText("");
            try {
                role = Role.parse(u.path("role").asText(null));
                PasswordHasher.validate(hash);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": user '" + name + "': " + e.getMessage());
            }
            users.put(name, new Entry(new User(name, role), hash));
        }
        return new UserDirectory(users);
    }

    /** The user whose password this is, or empty; unknown names take as long as wrong passwords. */
    public Optional<User> authenticate(String username, char[] password) {
        Entry e = username == null ? null : users.get(username);
        if (e == null) {
            PasswordHasher.verify(password, dummyHash);
            return Optional.empty();
        }
        return PasswordHasher.verify(password, e.hash) ? Optional.of(e.user) : Optional.empty();
    }

    /** Every user, in file order. */
    public List<User> users() {
        List<User> all = new ArrayList<>();
        users.values().forEach(e -> all.add(e.user));
        return all;
    }

    private static int iterationsOf(String hash) {
        return Integer.parseInt(hash.split("\\$", -1)[1]);
    }
}
