package io.herald.junit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs an in-process Herald server (memory engine, ephemeral port of 127.0.0.1) for tests and resolves
 * {@link HeraldInstance} and {@link HeraldAbly} parameters. Used through {@link Herald}, or registered with a setup:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HeraldExtension HERALD = HeraldExtension.builder()
 *         .key("limited", "{\"chat:*\":[\"subscribe\"]}")
 *         .mutableMessages("edits")
 *         .build();
 * }</pre>
 *
 * The server is kept in JUnit's store, which closes it: the test class's store by default (so {@code @Nested}
 * classes share it), the root store with {@link Builder#sharedForRun()}. After each test, every fault injected into
 * the server ({@link HeraldInstance#faults()}) is cleared, so that no test sees another's.
 */
public final class HeraldExtension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HeraldExtension.class);
    /** Named, not referenced: comparing with the class would load ably-java's types in projects without it. */
    private static final String HERALD_ABLY = "io.herald.junit.HeraldAbly";

    private final @Nullable HeraldSetup setup;

    /** The extension {@link Herald} registers: the setup is read from the annotation on the test class. */
    public HeraldExtension() {
        this.setup = null;
    }

    private HeraldExtension(HeraldSetup setup) {
        this.setup = setup;
    }

    /** A setup starting with app {@code test}; the key, namespace methods apply to it until {@link Builder#app}. */
    public static Builder builder() {
        return new Builder();
    }

    /** What the server of this extension is started with; for {@link Herald}, known only in a test class. */
    public Optional<HeraldSetup> setup() {
        return Optional.ofNullable(setup);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    /** Clears every fault of the server the test used, if it has one (running, not closed). */
    @Override
    public void afterEach(ExtensionContext context) {
        HeraldSetup s = setup != null ? setup : fromAnnotation(context);
        ExtensionContext owner = s.scope() == Herald.Scope.RUN ? context.getRoot() : classContext(context);
        RunningHerald running = owner.getStore(NAMESPACE).get(s, RunningHerald.class);
        if (running != null && !running.isClosed()) {
            HeraldFaults.clearEverything(running);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == HeraldInstance.class || type.getName().equals(HERALD_ABLY);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        HeraldInstance instance = new HeraldInstance(running(extensionContext));
        return parameterContext.getParameter().getType() == HeraldInstance.class ? instance : instance.ably();
    }

    /** The server of this context: started on first use, in the store of the test class or of the root. */
    private RunningHerald running(ExtensionContext context) {
        HeraldSetup s = setup != null ? setup : fromAnnotation(context);
        ExtensionContext owner = s.scope() == Herald.Scope.RUN ? context.getRoot() : classContext(context);
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(s, RunningHerald::start, RunningHerald.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static HeraldSetup fromAnnotation(ExtensionContext context) {
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<Herald> found = AnnotationSupport.findAnnotation(c, Herald.class);
            if (found.isPresent()) {
                return fromAnnotation(found.get());
            }
        }
        throw new ExtensionConfigurationException("HeraldExtension without a setup needs @Herald on the test class; "
                + "register HeraldExtension.builder()...build() with @RegisterExtension otherwise");
    }

    static HeraldSetup fromAnnotation(Herald herald) {
        Builder b = builder().app(herald.app()).sandbox(herald.sandbox()).scope(herald.scope());
        for (Herald.Key k : herald.keys()) {
            b.key(k.name(), k.capability(), k.revocableTokens());
        }
        for (String ns : herald.mutableMessages()) {
            b.mutableMessages(ns);
        }
        for (String ns : herald.persisted()) {
            b.persisted(ns);
        }
        return b.setup();
    }

    /** Builds a {@link HeraldExtension}. Apps without keys get one key {@code full} with full access. */
    public static final class Builder {
        private final Map<String, AppBuilder> apps = new LinkedHashMap<>();
        private AppBuilder current;
        private boolean sandbox;
        private Herald.Scope scope = Herald.Scope.CLASS;

        private Builder() {
            current = new AppBuilder("test");
            apps.put("test", current);
        }

        /**
         * Switches to app {@code id} (created if new) for the following key and namespace calls. The first app
         * named replaces the default {@code test} while that has nothing configured.
         */
        public Builder app(String id) {
            if (apps.size() == 1 && current.isEmpty() && !apps.containsKey(id)) {
                apps.clear();
            }
            current = apps.computeIfAbsent(id, AppBuilder::new);
            return this;
        }

        /** Configures app {@code id} in {@code app}; later calls still apply to the app current before. */
        public Builder app(String id, Consumer<Builder> app) {
            AppBuilder before = current;
            app(id);
            app.accept(this);
            current = apps.containsKey(before.id) ? before : current;
            return this;
        }

        /** A full-access key named {@code name} in the current app. */
        public Builder key(String name) {
            return key(name, HeraldSetup.ALL, false);
        }

        /** A key with {@code capability} (Ably's JSON) in the current app. */
        public Builder key(String name, String capability) {
            return key(name, capability, false);
        }

        /** A key in the current app. */
        public Builder key(String name, String capability, boolean revocableTokens) {
            current.keys.add(new HeraldSetup.Key(name, capability, revocableTokens));
            return this;
        }

        /** A namespace of the current app whose messages may be updated, deleted, appended to and annotated. */
        public Builder mutableMessages(String namespace) {
            return namespace(new HeraldSetup.Namespace(namespace, false, true));
        }

        /** A namespace of the current app whose history is kept for the persisted retention. */
        public Builder persisted(String namespace) {
            return namespace(new HeraldSetup.Namespace(namespace, true, false));
        }

        /** A namespace of the current app; a namespace given twice is merged (either flag set wins). */
        public Builder namespace(HeraldSetup.Namespace namespace) {
            current.namespaces.merge(
                    namespace.id(),
                    namespace,
                    (a, b) -> new HeraldSetup.Namespace(
                            a.id(), a.persisted() || b.persisted(), a.mutableMessages() || b.mutableMessages()));
            return this;
        }

        /** Serve the test-only provisioning API ({@code POST /apps}, {@code POST /stats}...). */
        public Builder sandbox(boolean on) {
            this.sandbox = on;
            return this;
        }

        /** {@link Herald.Scope#CLASS} (the default) or {@link Herald.Scope#RUN}. */
        public Builder scope(Herald.Scope scope) {
            this.scope = scope;
            return this;
        }

        /** One server for the whole run, shared by every class registering an equal setup. */
        public Builder sharedForRun() {
            return scope(Herald.Scope.RUN);
        }

        /** The setup as configured so far. */
        public HeraldSetup setup() {
            List<HeraldSetup.App> list = new ArrayList<>();
            for (AppBuilder a : apps.values()) {
                List<HeraldSetup.Key> keys =
                        a.keys.isEmpty() ? List.of(new HeraldSetup.Key("full", HeraldSetup.ALL, false)) : a.keys;
                list.add(new HeraldSetup.App(a.id, keys, new ArrayList<>(a.namespaces.values())));
            }
            return new HeraldSetup(list, sandbox, scope);
        }

        public HeraldExtension build() {
            return new HeraldExtension(setup());
        }
    }

    private static final class AppBuilder {
        final String id;
        final List<HeraldSetup.Key> keys = new ArrayList<>();
        final Map<String, HeraldSetup.Namespace> namespaces = new LinkedHashMap<>();

        AppBuilder(String id) {
            this.id = id;
        }

        boolean isEmpty() {
            return keys.isEmpty() && namespaces.isEmpty();
        }
    }
}
