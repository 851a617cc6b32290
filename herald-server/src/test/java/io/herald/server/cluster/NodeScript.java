package io.herald.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test script against the official ably-js SDK installed in {@code testing/node} (a missing install fails the
 * test: run {@code testing/install-node-deps.sh}). The job goes in as JSON on stdin, the result is the last line of
 * stdout, as JSON.
 */
final class NodeScript {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeScript() {
    }

    static Path nodeDir() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolve("testing/node");
            if (Files.isDirectory(dir)) {
                if (!Files.isRegularFile(dir.resolve("node_modules/ably/package.json"))) {
                    throw new AssertionError("npm package ably is not installed in " + dir
                            + ": run testing/install-node-deps.sh");
                }
                return dir;
            }
        }
        throw new AssertionError("cannot find testing/node above " + Paths.get("").toAbsolutePath());
    }

    static JsonNode run(String resource, Object job) throws IOException, InterruptedException {
        Path dir = nodeDir();
        Path script;
        try {
            script = Paths.get(NodeScript.class.getClassLoader().getResource(resource).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("test resource " + resource + " not found");
        }
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("NODE_PATH", dir.resolve("node_modules").toString());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(job));
        }
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                last = line;
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + resource + " did not finish within 60 s");
        }
        if (p.exitValue() != 0 || last == null) {
            throw new AssertionError("node " + resource + " failed with exit code " + p.exitValue());
        }
        return JSON.readTree(last);
    }
}
