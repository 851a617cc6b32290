package io.herald.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds engine factories on the class path ({@link ServiceLoader}). */
public final class Engines {
    private Engines() {}

    public static List<String> available() {
        List<String> names = new ArrayList<>();
        for (EngineFactory f : ServiceLoader.load(EngineFactory.class)) {
            names.add(f.name());
        }
        return names;
    }

    /** Builds the named engine; {@link IllegalArgumentException} naming the available ones if unknown. */
    public static Engine create(String name, EngineContext context) {
        for (EngineFactory f : ServiceLoader.load(EngineFactory.class)) {
            if (f.name().equalsIgnoreCase(name)) {
                return f.create(context);
            }
        }
        throw new IllegalArgumentException("unknown engine '" + name + "'; available: " + available());
    }
}
