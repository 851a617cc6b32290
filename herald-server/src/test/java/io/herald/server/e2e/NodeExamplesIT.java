package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.e2e.support.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The copy-paste examples of docs/testing-with-herald.md that live in {@code testing/node/examples/} run as the guide
 * says ({@code node --test}, HERALD_URL, HERALD_KEY, HERALD_CONTROL_TOKEN) against a real server, so that the guide
 * cannot drift from what works.
 */
class NodeExamplesIT {
    private static final String TOKEN = "node-examples-token-" + UUID.randomUUID();

    @RegisterExtension
    static final TestServer server = TestServer.perClass("control:\n  token: \"" + TOKEN + "\"\n");

    @Test
    void reconnectExamples_pass() throws IOException, InterruptedException {
        Path root = root();
        Path log = Files.createTempFile("node-examples-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "testing/node/examples/")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("HERALD_URL", "http://127.0.0.1:" + server.port());
            pb.environment().put("HERALD_KEY", server.full.keyString());
            pb.environment().put("HERALD_CONTROL_TOKEN", TOKEN);
            Process p = pb.start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("node --test ended in time:\n%s", out).isTrue();
            assertThat(p.exitValue()).as("node --test:\n%s", out).isZero();
            assertThat(out).contains("# pass 4").contains("# fail 0");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Path root() {
        String mm = System.getProperty("maven.multiModuleProjectDirectory");
        if (mm != null && Files.isDirectory(Paths.get(mm, "testing", "node", "examples"))) {
            return Paths.get(mm).toAbsolutePath();
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testing/node/examples"))) {
                return p;
            }
        }
        throw new AssertionError(
                "cannot find testing/node/examples above " + Paths.get("").toAbsolutePath());
    }
}
