package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * ably-java is optional: the extension's classes load, link and build a setup in a class loader that cannot see
 * {@code io.ably}, and only {@link HeraldAbly} needs it.
 */
class WithoutAblyTest {

    @Test
    void extensionLoadsWithoutAblyJava() throws Exception {
        URL classes = Path.of(HeraldExtension.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toUri()
                .toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, new WithoutAbly())) {
            for (String name :
                    new String[] {"Herald", "HeraldExtension", "HeraldInstance", "HeraldSetup", "RunningHerald"}) {
                Class<?> c = Class.forName("io.herald.junit." + name, true, loader);
                assertThat(c.getClassLoader()).isSameAs(loader);
                assertThat(c.getDeclaredMethods()).isNotEmpty();
            }
            Class<?> extension = Class.forName("io.herald.junit.HeraldExtension", true, loader);
            Object builder = extension.getMethod("builder").invoke(null);
            Object built = builder.getClass().getMethod("build").invoke(builder);
            assertThat(built.getClass()).isSameAs(extension);

            Class<?> ably = Class.forName("io.herald.junit.HeraldAbly", false, loader);
            assertThatThrownBy(ably::getDeclaredMethods).isInstanceOf(NoClassDefFoundError.class);
        }
    }

    /** The test class path without ably-java and without this module's own classes (the child loader has those). */
    private static final class WithoutAbly extends ClassLoader {
        WithoutAbly() {
            super(WithoutAblyTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.ably.") || name.startsWith("io.herald.junit.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
