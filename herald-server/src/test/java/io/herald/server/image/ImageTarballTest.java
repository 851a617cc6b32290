package io.herald.server.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image tarball ({@code ./herald image}, or {@code mvn -pl herald-server -am -Pimage package}): its
 * configuration (non-root user, port, volume, entrypoint, labels) and the files the entrypoint needs. Skipped when the
 * tarball has not been built, so the ordinary build does not pay for it.
 */
class ImageTarballTest {

    private static final Path TARBALL = Path.of("target", "herald-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, byte[]> outer = Map.of();
    private static JsonNode config = JSON.createObjectNode();
    private static List<String> layers = List.of();

    @BeforeAll
    static void readTarball() throws IOException {
        assumeTrue(Files.isRegularFile(TARBALL), "no " + TARBALL + ": build it with ./herald image");
        try (InputStream in = Files.newInputStream(TARBALL)) {
            outer = Tar.read(in, name -> name.endsWith(".json"));
        }
        JsonNode manifest = JSON.readTree(outer.get("manifest.json"));
        assertThat(manifest.size()).isEqualTo(1);
        config = JSON.readTree(outer.get(manifest.get(0).path("Config").asText()));
        List<String> names = new ArrayList<>();
        manifest.get(0).path("Layers").forEach(l -> names.add(l.asText()));
        layers = names;
    }

    @Test
    void config_userIsNumericAndNotRoot() {
        String user = config.path("config").path("User").asText();

        assertThat(user).matches("[0-9]+(:[0-9]+)?");
        assertThat(Integer.parseInt(user.split(":", -1)[0])).isPositive();
        assertThat(user.split(":", -1)[user.split(":", -1).length - 1]).isNotEqualTo("0");
    }

    @Test
    void config_exposes8080AndTheDataVolume() {
        JsonNode c = config.path("config");

        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.path("Volumes").has("/var/lib/herald")).isTrue();
        assertThat(c.path("WorkingDir").asText()).isEqualTo("/var/lib/herald");
    }

    @Test
    void config_entrypointServesOnAllInterfacesWithTheDataDirInTheVolume() {
        List<String> entrypoint = new ArrayList<>();
        config.path("config").path("Entrypoint").forEach(a -> entrypoint.add(a.asText()));

        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).containsSubsequence("-jar", "/app/herald.jar", "serve");
        assertThat(String.join(" ", entrypoint))
                .contains("--host 0.0.0.0")
                .contains("--port 8080")
                .contains("--data-dir /var/lib/herald");
        assertThat(config.path("config").path("Env").toString()).contains("PATH=/opt/java/bin");
    }

    @Test
    void config_carriesTheOciLabels() {
        JsonNode labels = config.path("config").path("Labels");

        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo("Herald");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isNotBlank();
        assertThat(labels.path("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
        assertThat(labels.path("org.opencontainers.image.description").asText()).isNotBlank();
    }

    @Test
    void layers_holdTheJarTheRuntimeItsLoaderAndAVolumeTheUserOwns() throws IOException {
        Map<String, Tar.Entry> files = new LinkedHashMap<>();
        Map<String, byte[]> passwd = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(TARBALL)) {
            Tar.walk(in, (layer, e, body) -> {
                if (layers.contains(layer)) {
                    Tar.walk(new GZIPInputStream(body), (name, entry, content) -> {
                        files.put(name, entry);
                        if (name.equals("etc/passwd")) {
                            passwd.put(name, content.readAllBytes());
                        }
                    });
                }
            });
        }
        String uid = config.path("config").path("User").asText().split(":", -1)[0];

        assertThat(files).containsKeys("app/herald.jar", "opt/java/bin/java", "lib64/ld-linux-x86-64.so.2");
        assertThat(files.get("opt/java/bin/java").mode() & 0111).isNotZero();
        assertThat(files.get("var/lib/herald/").uid()).isEqualTo(Integer.parseInt(uid));
        assertThat(files.get("tmp/").mode() & 01777).isEqualTo(01777);
        assertThat(new String(passwd.get("etc/passwd"), StandardCharsets.UTF_8)).contains(":" + uid + ":");
    }

    /** Just enough of ustar to read an image tarball: regular files, directories and links; names up to 255 bytes. */
    static final class Tar {

        record Entry(char type, int mode, int uid, long size) {}

        interface NameFilter {
            boolean test(String name);
        }

        /** The content of each regular file whose name passes {@code filter}. */
        static Map<String, byte[]> read(InputStream in, NameFilter filter) throws IOException {
            Map<String, byte[]> out = new LinkedHashMap<>();
            walk(in, (name, e, body) -> {
                if (e.type() == '0' && filter.test(name)) {
                    out.put(name, body.readAllBytes());
                }
            });
            return out;
        }

        interface Visitor {
            void visit(String name, Entry entry, InputStream body) throws IOException;
        }

        static void walk(InputStream in, Visitor visitor) throws IOException {
            byte[] header = new byte[512];
            while (readFully(in, header)) {
                if (header[0] == 0) {
                    return; // end-of-archive blocks
                }
                String name = string(header, 0, 100);
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                if (name.startsWith("./")) {
                    name = name.substring(2);
                }
                char type = header[156] == 0 ? '0' : (char) header[156];
                long size = octal(header, 124, 12);
                Entry entry = new Entry(type, (int) octal(header, 100, 8), (int) octal(header, 108, 8), size);
                Body body = new Body(in, size);
                if (type != 'x' && type != 'g' && !name.isEmpty()) {
                    visitor.visit(name, entry, body);
                }
                body.skipRest();
                in.skipNBytes((512 - size % 512) % 512);
            }
        }

        /** One entry's content: at most {@code size} bytes of the archive. */
        private static final class Body extends InputStream {
            private final InputStream in;
            private long left;

            Body(InputStream in, long size) {
                this.in = in;
                this.left = size;
            }

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw new IOException("truncated tar entry");
                }
                left--;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new IOException("truncated tar entry");
                }
                left -= n;
                return n;
            }

            void skipRest() throws IOException {
                in.skipNBytes(left);
                left = 0;
            }
        }

        private static boolean readFully(InputStream in, byte[] buf) throws IOException {
            int n = in.readNBytes(buf, 0, buf.length);
            return n == buf.length;
        }

        private static String string(byte[] b, int off, int len) {
            int end = off;
            while (end < off + len && b[end] != 0) {
                end++;
            }
            return new String(b, off, end - off, StandardCharsets.UTF_8);
        }

        private static long octal(byte[] b, int off, int len) {
            String s = string(b, off, len).trim();
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        }

        private Tar() {}
    }
}
