package io.herald.core.engine.memory;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineContractTest;

class MemoryEngineContractTest extends EngineContractTest {
    @Override
    protected Engine createEngine(EngineContext context) {
        return new MemoryEngine(context);
    }
}
