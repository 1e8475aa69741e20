package io.keygate.demo.idp;

import java.util.List;
import java.util.Map;

import static io.keygate.demo.Web.escape;

/** The demo IdP's pages: sign-in, consent and refusals; self-contained HTML, no scripts. */
final class IdpPages {
    private static final Map<String, String> SCOPE_TEXT = Map.of(
            "openid", "Know who you are at the Demo IdP",
            "profile", "See your name",
            "email", "See your email address",
            DemoIdp.FILES_SCOPE, "Read the files in your Demo Drive");
    private static final String STYLE = """
            body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
            font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;background:#f3f0fa;color:#221c35}
            main{background:#fff;border-radius:14px;box-shadow:0 8px 30px #2a1a5c22;padding:32px 36px;width:380px}
            .brand{font-weight:700;color:#5b3cc4;letter-spacing:.02em}h1{font-size:22px;margin:8px 0 4px}
            p{color:#4a4360}form{margin:0}button{font:inherit;cursor:pointer;border-radius:9px;padding:10px 14px}
            .person{display:flex;width:100%;margin:8px 0;border:1px solid #d9d2f0;background:#faf8ff;text-align:left}
            .person:hover{border-color:#5b3cc4}.person b{flex:1}.person small{color:#776f90}
            input{font:inherit;width:100%;box-sizing:border-box;padding:9px 12px;border:1px solid #d9d2f0;border-radius:9px}
            .primary{background:#5b3cc4;color:#fff;border:1px solid #5b3cc4}.secondary{background:#fff;border:1px solid #d9d2f0}
            .row{display:flex;gap:10px;margin-top:20px}.row form{flex:1}.row button{width:100%}
            ul{padding-left:20px}.error{color:#b3261e}.or{margin:18px 0 8px;color:#776f90;font-size:14px}
            """;

    private IdpPages() {
    }

    static String login(String requestId, DemoIdp.Client client, List<DemoUsers.User> people, String error) {
        StringBuilder choices = new StringBuilder();
        for (DemoUsers.User person : people) {
            choices.append("<form method=post action=\"/idp/login\">").append(hidden("request", requestId))
                    .append(hidden("user", person.subject())).append("<button class=person name=pick>")
                    .append("<b>").append(escape(person.name())).append("</b><small>")
                    .append(escape(person.email())).append("</small></button></form>");
        }
        return page("Sign in", "<h1>Sign in</h1><p>to continue to <b>" + escape(client.displayName())
                + "</b>. This demo IdP has no passwords: pick a person or type a name.</p>" + choices
                + "<div class=or>or sign in as someone else</div><form method=post action=\"/idp/login\">"
                + hidden("request", requestId) + "<input name=name placeholder=\"Your name\" maxlength=40 "
                + "aria-label=\"Your name\"><div class=row><button class=primary>Sign in</button></div></form>"
                + (error == null ? "" : "<p class=error>" + escape(error) + "</p>"));
    }

    static String consent(String requestId, DemoIdp.Client client, DemoUsers.User user, String scope) {
        StringBuilder asks = new StringBuilder("<ul>");
        for (String each : scope.split(" ")) {
            asks.append("<li>").append(escape(SCOPE_TEXT.getOrDefault(each, each))).append("</li>");
        }
        asks.append("</ul>");
        return page("Allow access", "<h1>" + escape(client.displayName()) + " wants access</h1><p>Signed in as <b>"
                + escape(user.name()) + "</b>. If you allow it, " + escape(client.displayName()) + " may:</p>" + asks
                + "<div class=row>" + decision(requestId, "deny", "secondary", "Deny")
                + decision(requestId, "allow", "primary", "Allow") + "</div>");
    }

    static String expired() {
        return error("This sign-in has expired", "It was started more than ten minutes ago or in another browser. "
                + "Go back to the application and start again.");
    }

    static String error(String title, String message) {
        return page(title, "<h1>" + escape(title) + "</h1><p>" + escape(message) + "</p>");
    }

    private static String decision(String requestId, String value, String style, String label) {
        return "<form method=post action=\"/idp/consent\">" + hidden("request", requestId) + hidden("decision", value)
                + "<button class=" + style + ">" + label + "</button></form>";
    }

    private static String hidden(String name, String value) {
        return "<input type=hidden name=" + name + " value=\"" + escape(value) + "\">";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport "
                + "content=\"width=device-width,initial-scale=1\"><title>" + escape(title) + " - Demo IdP</title><style>"
                + STYLE + "</style></head><body><main><div class=brand>&#9673; Demo IdP</div>" + body
                + "</main></body></html>";
    }
}
