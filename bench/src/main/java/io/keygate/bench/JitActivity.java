package io.keygate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a JVM's JIT compiler threads ({@code C1/C2 CompilerThread*}) have used, read from Linux's
 * {@code /proc/<pid>/task/*}: while it still grows fast the JVM is compiling its hot code, and figures
 * measured then say more about the compiler than about the server.
 */
final class JitActivity {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

    private JitActivity() {
    }

    /** Seconds of CPU the compiler threads of {@code pid} have used so far; -1 when unknown (not Linux). */
    static double compilerSeconds(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).trim();
                    if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
                        continue;
                    }
                    String stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException unreadable) {
            return -1;
        }
        return ticks / TICKS_PER_SECOND;
    }
}
