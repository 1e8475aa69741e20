package io.keygate.server.oauth;

/** A minimal, self-contained HTML page (no scripts, no external resources) with escaped text. */
final class HtmlPage {
    private HtmlPage() {
    }

    static String render(String title, String message) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " - Keygate</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;"
                + "color:#1f2328}h1{font-size:1.4rem}p{line-height:1.5}small{color:#59636e}</style></head><body>"
                + "<h1>" + escape(title) + "</h1><p>" + escape(message) + "</p><small>Keygate</small></body></html>";
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
