package io.herald.demo;

import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code java -jar herald-demo.jar}: starts the demo backend from options and environment (see
 * {@link DemoConfig}) and runs until interrupted.
 */
public final class DemoApp {

    private DemoApp() {}

    public static void main(String[] args) throws InterruptedException {
        DemoConfig config;
        try {
            config = DemoConfig.from(args, System.getenv());
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            boolean help = message.startsWith("Usage:");
            (help ? System.out : System.err).println(help ? message : "herald-demo: " + message);
            System.exit(help ? 0 : 2);
            return;
        }
        DemoServer server;
        try {
            server = DemoServer.start(config);
        } catch (RuntimeException e) {
            System.err.println("herald-demo: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "demo-shutdown"));
        String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
        System.out.println("Herald demo app: http://" + host + ":" + server.port()
                + "  (Herald at " + config.heraldUrl() + ", key "
                + config.apiKey().keyName()
                + ", token ttl " + config.tokenTtl().toSeconds() + " s, " + config.authMode()
                + (config.control() != null ? ", break-it panel on" : "") + ")");
        System.out.println("Users: "
                + server.users().users().stream()
                        .map(u -> u.username() + " (" + u.role().id() + ")")
                        .collect(Collectors.joining(", ")));
        System.out.flush();
        stopped.await();
    }
}
