package io.herald.disk;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineContractTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The engine contract on a real RocksDB store, with every channel on disk ({@code diskChannels: all}). */
class DiskEngineContractTest extends EngineContractTest {
    @TempDir
    Path dir;

    @Override
    protected Engine createEngine(EngineContext context) {
        return new DiskEngine(new EngineContext(
                context.config(),
                context.clock(),
                context.nodeId(),
                Map.of(
                        DiskSettings.DATA_DIR,
                        dir.toString(),
                        DiskSettings.CHANNELS,
                        "all",
                        DiskSettings.FSYNC,
                        "always")));
    }
}
