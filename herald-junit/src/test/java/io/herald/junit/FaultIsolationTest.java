package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A fault injected by one test is gone before the next test starts, on a per-class and on a run-wide server: the
 * fixture's first test leaves faults behind (without clearing them), its second counts what is left.
 */
class FaultIsolationTest {
    static final List<String> LEFT = new CopyOnWriteArrayList<>();
    static volatile boolean launched;

    @Test
    void faultsOfOneTest_areClearedBeforeTheNext() {
        TestExecutionSummary summary = run(PerClass.class, RunScoped.class);
        assertThat(summary.getTestsSucceededCount())
                .as("%s", summary.getFailures())
                .isEqualTo(4);
        assertThat(LEFT)
                .containsExactlyInAnyOrder(
                        "per class, test 1: 2", "per class, test 2: 0", "run, test 1: 1", "run, test 2: 0");
    }

    private static TestExecutionSummary run(Class<?>... classes) {
        LEFT.clear();
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

    static void fixture() {
        Assumptions.assumeTrue(launched, "a fixture of FaultIsolationTest");
    }

    @Herald
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClass {
        @Test
        @Order(1)
        void leavesFaultsBehind(HeraldInstance herald) {
            fixture();
            herald.faults().suspendChannel("left-behind");
            herald.faults()
                    .fault("delivery.drop")
                    .channel("left")
                    .ttl(Duration.ofHours(1))
                    .inject();
            LEFT.add("per class, test 1: " + herald.faults().list().size());
        }

        @Test
        @Order(2)
        void seesNone(HeraldInstance herald) {
            fixture();
            LEFT.add("per class, test 2: " + herald.faults().list().size());
        }
    }

    @Herald(scope = Herald.Scope.RUN)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class RunScoped {
        @Test
        @Order(1)
        void leavesAFaultBehind(HeraldInstance herald) {
            fixture();
            herald.faults().failTokenRequests(5, 50300);
            LEFT.add("run, test 1: " + herald.faults().list().size());
        }

        @Test
        @Order(2)
        void seesNone(HeraldInstance herald) {
            fixture();
            LEFT.add("run, test 2: " + herald.faults().list().size());
        }
    }
}
