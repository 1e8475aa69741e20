package io.keygate.demo.idp;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo IdP's people and what its Graph API holds for each: two ready-made users, and anyone a
 * visitor types in (no passwords: this IdP exists to show the flow, not to guard anything).
 */
final class DemoUsers {
    /** One person; {@code subject} is the {@code sub} of every token issued for them. */
    record User(String subject, String name, String email) {
    }

    /** A file in the user's demo drive. */
    record DemoFile(String name, String modified, String size) {
    }

    private static final List<User> READY_MADE = List.of(
            new User("alice", "Alice Example", "alice@example.com"),
            new User("bob", "Bob Builder", "bob@example.com"));
    private static final Map<String, List<DemoFile>> FILES = Map.of(
            "alice", List.of(new DemoFile("Q3 roadmap.md", "2026-09-02", "14 KB"),
                    new DemoFile("Team offsite photos.zip", "2026-08-21", "212 MB"),
                    new DemoFile("Expenses 2026.xlsx", "2026-10-30", "88 KB")),
            "bob", List.of(new DemoFile("Garden plans.pdf", "2026-05-14", "2 MB"),
                    new DemoFile("Invoice 0042.pdf", "2026-11-01", "61 KB")));
    private static final int MAX_NAME = 40;

    private final Map<String, User> users = new ConcurrentHashMap<>();

    DemoUsers() {
        READY_MADE.forEach(user -> users.put(user.subject(), user));
    }

    List<User> readyMade() {
        return READY_MADE;
    }

    Optional<User> find(String subject) {
        return Optional.ofNullable(subject).map(users::get);
    }

    /**
     * The user a visitor chose: a ready-made one by subject, or a person named as typed; empty when the
     * name has no letters or digits.
     */
    Optional<User> signIn(String readyMadeSubject, String typedName) {
        if (readyMadeSubject != null && !readyMadeSubject.isBlank()) {
            return find(readyMadeSubject).filter(READY_MADE::contains);
        }
        String name = typedName == null ? "" : typedName.strip();
        name = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
        String subject = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (subject.isEmpty()) {
            return Optional.empty();
        }
        String displayName = name;
        return Optional.of(users.computeIfAbsent("user-" + subject, key -> new User(key, displayName, null)));
    }

    List<DemoFile> files(User user) {
        return FILES.getOrDefault(user.subject(), List.of(new DemoFile("Welcome, " + user.name() + ".txt", "2026-11-26", "1 KB"),
                new DemoFile("Getting started with Keygate.pdf", "2026-11-26", "320 KB")));
    }
}
