package io.herald.auth;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the test's node scripts against the npm {@code ably} SDK in {@code testing/node}. The directory is
 * the system property {@code herald.node.dir} if set, else found by walking up from the working directory.
 * Missing node_modules is a test FAILURE (never a skip): run {@code testing/install-node-deps.sh}.
 */
final class NodeScripts {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private NodeScripts() {}

    /** The {@code testing/node} directory holding {@code node_modules/ably}; fails the test if absent. */
    static Path nodeDir() {
        String configured = System.getProperty("herald.node.dir");
        Path dir = null;
        if (configured != null && !configured.isBlank()) {
            dir = Paths.get(configured).toAbsolutePath();
        } else {
            for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("testing/node"))) {
                    dir = p.resolve("testing/node");
                    break;
                }
            }
        }
        if (dir == null) {
            fail("cannot find testing/node above " + Paths.get("").toAbsolutePath() + "; set -Dherald.node.dir");
        }
        if (!Files.isRegularFile(dir.resolve("node_modules/ably/package.json"))) {
            fail("npm package ably is not installed in " + dir + ": run testing/install-node-deps.sh");
        }
        return dir;
    }

    /** Runs a script from the test resources with {@code job} as JSON on stdin; returns its JSON stdout. */
    static JsonNode run(String resource, Object job) {
        Path dir = nodeDir();
        Path script = resourcePath(resource);
        try {
            ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(dir.toFile());
            pb.environment().put("NODE_PATH", dir.resolve("node_modules").toString());
            Process process = pb.start();
            CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
            CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                in.write(MAPPER.writeValueAsBytes(job));
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("node " + resource + " did not finish within 120 s");
            }
            String err = new String(stderr.join(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                fail("node " + resource + " exited with " + process.exitValue() + ":\n" + err);
            }
            byte[] out = stdout.join();
            try {
                return MAPPER.readTree(out);
            } catch (IOException e) {
                return fail("node " + resource + " wrote invalid JSON (" + out.length + " bytes): " + e.getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node (is Node 20 on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path resourcePath(String resource) {
        URL url = NodeScripts.class.getClassLoader().getResource(resource);
        if (url == null) {
            fail("test resource " + resource + " not found");
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
