package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UserDirectoryTest {

    static UserDirectory of(String json) {
        return UserDirectory.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }

    static String user(String name, String role, String password) {
        return "{\"username\":\"" + name + "\",\"role\":\"" + role + "\",\"password\":\""
                + PasswordHasher.hash(password.toCharArray(), 1000) + "\"}";
    }

    @Test
    void loadDefault_bundledDemoUsers_signInWithTheDocumentedPasswords() {
        UserDirectory users = UserDirectory.loadDefault();
        assertThat(users.users())
                .containsExactly(
                        new User("alice", Role.MEMBER),
                        new User("bob", Role.MEMBER),
                        new User("mia", Role.MODERATOR),
                        new User("victor", Role.VIEWER),
                        new User("ada", Role.ADMIN));
        DemoBrowserIT.PASSWORDS.forEach((name, password) -> assertThat(users.authenticate(name, password.toCharArray()))
                .as(name)
                .map(User::username)
                .contains(name));
    }

    @Test
    void authenticate_wrongPasswordOrUnknownUser_isEmpty() {
        UserDirectory users = of("{\"users\":[" + user("alice", "member", "pw") + "]}");
        assertThat(users.authenticate("alice", "pw".toCharArray())).contains(new User("alice", Role.MEMBER));
        assertThat(users.authenticate("alice", "PW".toCharArray())).isEmpty();
        assertThat(users.authenticate("mallory", "pw".toCharArray())).isEmpty();
        assertThat(users.authenticate(null, "pw".toCharArray())).isEmpty();
    }

    @Test
    void parse_badFiles_nameTheProblem() {
        assertThatThrownBy(() -> of("not json"))
                .hasMessageContaining("test.json")
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> of("{\"users\":[]}")).hasMessageContaining("expected");
        assertThatThrownBy(() -> of("{\"users\":[" + user("Alice Smith", "member", "pw") + "]}"))
                .hasMessageContaining("username 'Alice Smith'");
        assertThatThrownBy(() ->
                        of("{\"users\":[" + user("alice", "member", "pw") + "," + user("alice", "viewer", "pw") + "]}"))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> of("{\"users\":[" + user("alice", "root", "pw") + "]}"))
                .hasMessageContaining("user 'alice'")
                .hasMessageContaining("unknown role");
        assertThatThrownBy(
                        () -> of("{\"users\":[{\"username\":\"alice\",\"role\":\"member\",\"password\":\"secret\"}]}"))
                .hasMessageContaining("user 'alice'")
                .hasMessageContaining("pbkdf2_sha256");
    }
}
