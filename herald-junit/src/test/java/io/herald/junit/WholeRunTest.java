package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * What a whole run sees, by running fixture classes with the JUnit launcher in this JVM: per-class servers are
 * distinct, a {@link Herald.Scope#RUN} server is shared by the classes and closed when the run ends, and the
 * extension without a setup is refused.
 */
class WholeRunTest {
    /** fixture class name -> port its server had. */
    static final Map<String, Integer> PORTS = new ConcurrentHashMap<>();

    static volatile boolean launched;

    @Test
    void perClassServersAreDistinct() {
        TestExecutionSummary summary = run(PerClassA.class, PerClassB.class);
        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(2);
        assertThat(PORTS.get("PerClassA")).isNotEqualTo(PORTS.get("PerClassB"));
        assertThat(listening(PORTS.get("PerClassA"))).isFalse();
    }

    @Test
    void runScopedServerIsSharedAndClosedAtTheEnd() {
        TestExecutionSummary summary = run(RunScopedA.class, RunScopedB.class);
        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(2);
        assertThat(PORTS.get("RunScopedA")).isEqualTo(PORTS.get("RunScopedB"));
        assertThat(listening(PORTS.get("RunScopedA"))).isFalse();
    }

    @Test
    void extensionWithoutSetupIsRefused() {
        TestExecutionSummary summary = run(NoSetup.class);
        assertThat(summary.getTestsFailedCount() + summary.getContainersFailedCount())
                .isPositive();
        assertThat(failures(summary)).contains("needs @Herald on the test class");
    }

    private static TestExecutionSummary run(Class<?>... classes) {
        PORTS.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> c : classes) {
            request.selectors(selectClass(c));
        }
        launched = true;
        try {
            LauncherFactory.create().execute(request.build(), listener);
        } finally {
            launched = false;
        }
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        StringBuilder s = new StringBuilder();
        summary.getFailures().forEach(f -> s.append(f.getException()).append('\n'));
        return s.toString();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void record(String name, HeraldInstance herald) {
        Assumptions.assumeTrue(launched, "a fixture of WholeRunTest");
        PORTS.put(name, herald.port());
    }

    @Herald
    static class PerClassA {
        @Test
        void test(HeraldInstance herald) {
            record("PerClassA", herald);
        }
    }

    @Herald
    static class PerClassB {
        @Test
        void test(HeraldInstance herald) {
            record("PerClassB", herald);
        }
    }

    @Herald(scope = Herald.Scope.RUN)
    static class RunScopedA {
        @Test
        void test(HeraldInstance herald) {
            record("RunScopedA", herald);
        }
    }

    static class RunScopedB {
        @RegisterExtension
        final HeraldExtension herald = HeraldExtension.builder().sharedForRun().build();

        @Test
        void test(HeraldInstance herald) {
            record("RunScopedB", herald);
        }
    }

    @org.junit.jupiter.api.extension.ExtendWith(HeraldExtension.class)
    static class NoSetup {
        @Test
        void test(HeraldInstance herald) {
            record("NoSetup", herald);
        }
    }
}
