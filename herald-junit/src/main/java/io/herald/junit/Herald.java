package io.herald.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs an in-process Herald server for the annotated test class (by default) and injects a {@link HeraldInstance}
 * (or a {@link HeraldAbly}) into test constructors, lifecycle methods and test methods:
 *
 * <pre>{@code
 * @Herald
 * class ChatTest {
 *     @Test
 *     void roundTrip(HeraldInstance herald) throws Exception {
 *         AblyRealtime ably = new AblyRealtime(herald.ably().clientOptions());
 *         // ...
 *     }
 * }
 * }</pre>
 *
 * The server has one app, {@link #app()}, with the keys of {@link #keys()} (one full-access key {@code full} when
 * none is given), each with a fresh random secret. For several apps, use {@link HeraldExtension#builder()} with
 * {@code @RegisterExtension} instead (not both on one class). {@code @Nested} classes share their outer class's server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(HeraldExtension.class)
public @interface Herald {

    /** The app id. */
    String app() default "test";

    /** The app's keys; none: one key {@code full} with every operation on every channel. */
    Key[] keys() default {};

    /** Namespaces whose messages may be updated, deleted, appended to and annotated. */
    String[] mutableMessages() default {};

    /** Namespaces whose history is kept for the persisted retention. */
    String[] persisted() default {};

    /** Serve the test-only provisioning API ({@code POST /apps}, {@code POST /stats}...). */
    boolean sandbox() default false;

    /** One server per test class, or one for the whole run. */
    Scope scope() default Scope.CLASS;

    /** An API key of the app. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({})
    @interface Key {
        /** The key id (the part between {@code .} and {@code :}). */
        String name();

        /** The capability as Ably's JSON; every operation on every channel by default. */
        String capability() default HeraldSetup.ALL;

        /** Tokens of this key can be revoked. */
        boolean revocableTokens() default false;
    }

    /** How long a server lives. */
    enum Scope {
        /** Started before the first test of the class, closed after its last (the default). */
        CLASS,
        /**
         * Started when a class first needs it and closed at the end of the run, kept in JUnit's root store: every
         * class with an equal setup shares it, so use distinct channel names or {@link HeraldInstance#reset()}.
         */
        RUN
    }
}
