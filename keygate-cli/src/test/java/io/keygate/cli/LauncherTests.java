package io.keygate.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./keygate} launcher's JVM options ({@code KEYGATE_LAUNCHER_PRINT=1} prints them and stops):
 * the serial collector on two processors or fewer, unless the operator names a collector. Runs the
 * launcher on one processor with {@code taskset}, so the answer does not depend on this machine.
 */
class LauncherTests {
    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("keygate");

    @Test
    void optionsWhenOneProcessorAndNoCollectorNamedThenTheSerialCollector() throws Exception {
        assertThat(options(Map.of("KEYGATE_JAVA_OPTS", "-Xmx256m"))).contains("-XX:+UseSerialGC").contains("-Xmx256m");
    }

    @Test
    void optionsWhenACollectorIsNamedThenOnlyThatOne() throws Exception {
        assertThat(options(Map.of("KEYGATE_JAVA_OPTS", "-XX:+UseG1GC")))
                .contains("-XX:+UseG1GC").doesNotContain("UseSerialGC");
        assertThat(options(Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseZGC"))).doesNotContain("UseSerialGC");
        assertThat(options(Map.of("JDK_JAVA_OPTIONS", "-XX:+UseParallelGC"))).doesNotContain("UseSerialGC");
    }

    private static String options(Map<String, String> environment) throws IOException, InterruptedException {
        assertThat(LAUNCHER).as("the launcher at the repository's root").exists();
        ProcessBuilder builder = new ProcessBuilder(List.of("taskset", "-c", "0", "bash", LAUNCHER.toString()))
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeAll(List.of("KEYGATE_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
        env.putAll(environment);
        env.put("KEYGATE_LAUNCHER_PRINT", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().reduce((first, last) -> last).orElse("");
    }
}
