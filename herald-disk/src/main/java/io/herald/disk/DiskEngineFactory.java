package io.herald.disk;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineFactory;

/** {@code --engine disk --data-dir DIR}: one durable node (see {@link DiskSettings}); the default of {@code serve}. */
public final class DiskEngineFactory implements EngineFactory {
    @Override
    public String name() {
        return "disk";
    }

    @Override
    public Engine create(EngineContext context) {
        return new DiskEngine(context);
    }
}
