package io.keygate.server.crash;

import io.keygate.config.ConfigLoader;
import io.keygate.fault.FaultPoints;
import io.keygate.server.KeygateServer;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Keygate node in its own JVM for the crash tests: {@code dataDir databaseUrl publicUrl point
 * occurrence}, the master key in the environment. It prints {@code KEYGATE-READY <port>} once serving,
 * and at the {@code occurrence}-th pass of the fault point prints {@code KEYGATE-FAULT <point>} and
 * stops that thread there for good, so that the test kills the process exactly at that point.
 */
public final class CrashNodeMain {
    static final String READY = "KEYGATE-READY ";
    static final String FAULT = "KEYGATE-FAULT ";

    private CrashNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String point = args[3];
        int occurrence = Integer.parseInt(args[4]);
        AtomicInteger passes = new AtomicInteger();
        FaultPoints faults = reached -> {
            if (reached.equals(point) && passes.incrementAndGet() == occurrence) {
                System.out.println(FAULT + reached);
                System.out.flush();
                blockForever();
            }
        };
        var config = ConfigLoader.load(null, Map.of(), Map.of("port", "0", "dataDir", args[0], "databaseUrl", args[1],
                "databaseUser", "postgres", "databasePassword", "postgres", "publicUrl", args[2]));
        KeygateServer server = KeygateServer.start(config, System.getenv(), Clock.systemUTC(), faults);
        System.out.println(READY + server.port());
        System.out.flush();
        blockForever();
    }

    private static void blockForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // only SIGKILL ends this node
            }
        }
    }
}
