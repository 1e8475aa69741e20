package io.keygate.gateway.mcp;

/** Makes client-supplied values safe for one log line: control characters replaced, length capped (security.md LG-3). */
final class LogSafe {
    private static final int MAX_LENGTH = 80;

    private LogSafe() {
    }

    static String of(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder safe = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
        for (int i = 0; i < value.length() && safe.length() < MAX_LENGTH; i++) {
            char c = value.charAt(i);
            safe.append(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? '?' : c);
        }
        return value.length() > MAX_LENGTH ? safe + "..." : safe.toString();
    }
}
