package io.keygate.cli;

import java.util.concurrent.CountDownLatch;

/** Runs until SIGTERM or Ctrl-C, then closes what a command started (the JVM's shutdown hook). */
final class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** @param afterClose runs after {@code resource} closed, even when closing failed */
    StopSignal(String command, AutoCloseable resource, Runnable afterClose) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println(command + ": error while stopping: " + e.getMessage());
            } finally {
                afterClose.run();
                stopped.countDown();
            }
        }, command.replace(' ', '-') + "-shutdown"));
    }

    void await() throws InterruptedException {
        stopped.await();
    }
}
