package io.herald.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk engine's settings in herald.yaml: read into engine options, checked at load, named when wrong. */
class DiskConfigTest {
    private static final ConfigLoader.Overrides NONE =
            new ConfigLoader.Overrides(null, null, null, null, null, null, null);

    @TempDir
    Path dir;

    private ServerConfig load(String yaml, String defaultEngine) throws Exception {
        Path f = dir.resolve("herald.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, NONE, Map.of(), defaultEngine);
    }

    @Test
    void diskSection_becomesEngineOptions() throws Exception {
        ServerConfig c =
                load("dataDir: /srv/h\ndisk: { fsync: always, fsyncInterval: 2s, maxDiskBytes: 1gb }\n", "disk");
        assertThat(c.engine()).isEqualTo("disk");
        assertThat(c.engineOptions())
                .containsEntry("dataDir", "/srv/h")
                .containsEntry("fsync", "always")
                .containsEntry("fsyncInterval", "2000")
                .containsEntry("maxDiskBytes", "1gb");
    }

    @Test
    void engine_defaultsToTheCallersChoice_fileWins() throws Exception {
        assertThat(load("port: 0\n", "disk").engine()).isEqualTo("disk");
        assertThat(ConfigLoader.load(null, NONE, Map.of()).engine()).isEqualTo("memory");
        assertThat(load("engine: memory\n", "disk").engine()).isEqualTo("memory");
    }

    @Test
    void badDiskSettings_stopTheLoadNamingTheSetting() {
        assertThatThrownBy(() -> load("disk: { fsync: sometimes }\n", "disk"))
                .hasMessageContaining("disk: fsync must be always, interval or never");
        assertThatThrownBy(() -> load("disk: { maxDiskBytes: lots }\n", "disk"))
                .hasMessageContaining("maxDiskBytes must be a number");
        assertThatThrownBy(() -> load("disk: { fsyncInterval: soon }\n", "disk"))
                .hasMessageContaining("disk.fsyncInterval");
        assertThatThrownBy(() -> load("disk: { compression: zstd }\n", "disk"))
                .hasMessageContaining("disk: unknown setting 'compression'");
    }
}
