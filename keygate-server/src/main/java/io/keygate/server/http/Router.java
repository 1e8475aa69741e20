package io.keygate.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches a method and raw path against route templates such as {@code /gateways/{gatewayId}/}; a
 * parameter matches one path segment. Routes are tried in the order they were added.
 *
 * @param <R> what a route leads to
 */
public final class Router<R> {
    private final List<Entry<R>> entries = new ArrayList<>();

    /**
     * {@code prefix} and {@code suffix}: the template's text before its first parameter and after its last,
     * compared before the pattern runs (many routes share a prefix, as {@code /gateways/}).
     */
    private record Entry<R>(String method, String prefix, String suffix, Pattern pattern, List<String> names, R target) {
        boolean mightMatch(String rawPath) {
            return rawPath.startsWith(prefix) && rawPath.endsWith(suffix);
        }
    }

    /** The target and the parameters a request matched. */
    public record Match<R>(R target, Map<String, String> pathParameters) {
    }

    public Router<R> add(String method, String template, R target) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher parameter = Pattern.compile("\\{([A-Za-z0-9]+)}").matcher(template);
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(last, parameter.start()))).append("([^/]+)");
            names.add(parameter.group(1));
            last = parameter.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        int firstParameter = template.indexOf('{');
        String prefix = firstParameter < 0 ? template : template.substring(0, firstParameter);
        entries.add(new Entry<>(method, prefix, template.substring(last), Pattern.compile(regex.toString()), names, target));
        return this;
    }

    public Optional<Match<R>> match(String method, String rawPath) {
        for (Entry<R> entry : entries) {
            if (!entry.method().equals(method) || !entry.mightMatch(rawPath)) {
                continue;
            }
            Matcher matcher = entry.pattern().matcher(rawPath);
            if (matcher.matches()) {
                Map<String, String> parameters = new HashMap<>();
                for (int i = 0; i < entry.names().size(); i++) {
                    parameters.put(entry.names().get(i), java.net.URLDecoder.decode(matcher.group(i + 1).replace("+", "%2B"),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                return Optional.of(new Match<>(entry.target(), parameters));
            }
        }
        return Optional.empty();
    }

    /** Whether any route has this path with another method (for a 405-style message). */
    public boolean pathExists(String rawPath) {
        return entries.stream().anyMatch(entry -> entry.mightMatch(rawPath) && entry.pattern().matcher(rawPath).matches());
    }
}
