package io.keygate.identity.session;

import io.keygate.oauth.jwt.InvalidJwtException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/troubleshooting.md promises every reason code a caller can receive, each with its cause and fix:
 * a new {@link CompletionReason} or JWT rejection reason must come with its row there.
 */
class TroubleshootingPageTests {

    /** The page, found from the module directory the tests run in, up to the repository root. */
    private static String page() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("troubleshooting.md");
            if (Files.isRegularFile(candidate)) {
                return Files.readString(candidate);
            }
        }
        throw new AssertionError("docs/troubleshooting.md not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void pageWhenReadThenEveryCompletionReasonHasARowWithCauseAndFix() throws IOException {
        String page = page();
        for (CompletionReason reason : CompletionReason.values()) {
            assertThat(page).as("a row for %s in docs/troubleshooting.md", reason)
                    .containsPattern("(?m)^\\| `" + reason.name() + "` \\|[^|\\n]{20,}\\|[^|\\n]{20,}\\|$");
        }
    }

    @Test
    void pageWhenReadThenEveryJwtRejectionReasonHasARow() throws IOException {
        String page = page();
        List<String> reasons = Arrays.stream(InvalidJwtException.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(TroubleshootingPageTests::value).toList();
        assertThat(reasons).contains(InvalidJwtException.EXPIRED, InvalidJwtException.JWKS_UNAVAILABLE);
        for (String reason : reasons) {
            assertThat(page).as("a row for JWT rejection %s in docs/troubleshooting.md", reason)
                    .containsPattern("(?m)^\\| `" + reason + "` \\|[^|\\n]{10,}\\|[^|\\n]{10,}\\|$");
        }
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
