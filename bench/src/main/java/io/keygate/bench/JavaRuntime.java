package io.keygate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A JDK on this machine: its {@code java} binary and what it reports about itself, so the results say
 * which runtime ran Keygate (on 21+ Keygate serves requests on virtual threads).
 *
 * @param binary  path of {@code java}
 * @param feature feature release (17, 21, 25, ...)
 * @param description vendor, version and VM name in one line
 */
record JavaRuntime(String binary, int feature, String description) {
    private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use[A-Za-z0-9]*GC");

    /** Asks {@code binary} for its properties ({@code -XshowSettings:properties -version}). */
    static JavaRuntime of(String binary) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary, "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(binary + " -version failed");
        }
        String spec = property(text, "java.specification.version");
        int feature = Integer.parseInt(spec.contains(".") ? spec.substring(spec.indexOf('.') + 1) : spec);
        return new JavaRuntime(binary, feature, property(text, "java.vm.vendor") + " " + property(text, "java.runtime.version")
                + " (" + property(text, "java.vm.name") + ")");
    }

    /** The JVM running this harness. */
    static JavaRuntime current() {
        return new JavaRuntime(ProcessHandle.current().info().command().orElse("java"), Runtime.version().feature(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                        + " (" + System.getProperty("java.vm.name") + ")");
    }

    /**
     * The JVM options {@code ./keygate} would run Keygate with on this release and this machine: its own
     * (native access, Unsafe; the serial collector on at most two processors unless {@code KEYGATE_JAVA_OPTS}
     * names a collector), then {@code KEYGATE_JAVA_OPTS}.
     */
    List<String> keygateOptions() {
        String launcherOptions = Objects.requireNonNullElse(System.getenv("KEYGATE_JAVA_OPTS"), "").trim();
        List<String> options = new ArrayList<>();
        if (feature >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 24) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (Runtime.getRuntime().availableProcessors() <= 2 && !COLLECTOR.matcher(launcherOptions).find()) {
            options.add("-XX:+UseSerialGC");
        }
        if (!launcherOptions.isEmpty()) {
            options.addAll(List.of(launcherOptions.split("\\s+")));
        }
        return options;
    }

    private static String property(String settings, String name) {
        for (String line : settings.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith(name + " = ")) {
                return trimmed.substring(name.length() + 3).trim();
            }
        }
        return "?";
    }
}
