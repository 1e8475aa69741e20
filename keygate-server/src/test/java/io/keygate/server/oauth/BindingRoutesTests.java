package io.keygate.server.oauth;

import io.keygate.server.http.ApiRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The binding page's browser cookie (security.md §1.7 SM-1): attributes by scheme, and reading it back. */
class BindingRoutesTests {
    private static final Supplier<URI> HTTPS = () -> URI.create("https://keygate.example.com");
    private static final Supplier<URI> LOOPBACK = () -> URI.create("http://127.0.0.1:8600");

    @Test
    void cookieWhenServedOverHttpsThenHostPrefixedSecureHttpOnlyLaxAndShortLived() {
        assertThat(BindingRoutes.cookie(HTTPS, "v4lue", 600))
                .isEqualTo("__Host-keygate-binding=v4lue; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure");
    }

    @Test
    void cookieWhenServedOverPlainLoopbackThenNoSecureFlagSoBrowsersKeepIt() {
        assertThat(BindingRoutes.cookie(LOOPBACK, "", 0))
                .isEqualTo("keygate-binding=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    }

    @Test
    void browserKeyWhenAmongOtherCookiesOrQuotedThenFoundOnlyUnderItsOwnName() {
        assertThat(BindingRoutes.browserKey(request("a=1; __Host-keygate-binding=k3y; b=2"), HTTPS)).isEqualTo("k3y");
        assertThat(BindingRoutes.browserKey(request("$Version=1; keygate-binding=\"k3y\""), LOOPBACK)).isEqualTo("k3y");
        assertThat(BindingRoutes.browserKey(request("keygate-binding=k3y"), HTTPS)).isNull();
        assertThat(BindingRoutes.browserKey(request(null), LOOPBACK)).isNull();
    }

    private static ApiRequest request(String cookie) {
        return new ApiRequest("GET", "/identities/oauth2/bind/callback", "", cookie == null ? Map.of()
                : Map.of("cookie", List.of(cookie)), new byte[0], Map.of(), "test");
    }
}
