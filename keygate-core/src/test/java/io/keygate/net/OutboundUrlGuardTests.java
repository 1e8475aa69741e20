package io.keygate.net;

import io.keygate.config.KeygateConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OutboundUrlGuard} (GW-8): https everywhere, plain http only to loopback or allowed hosts,
 * never link-local, metadata or wildcard addresses, private ranges only when not denied. Uses IP
 * literals, {@code localhost} and {@code .invalid} names only, so no network is needed.
 */
class OutboundUrlGuardTests {
    private static final OutboundUrlGuard DEFAULT = guard(List.of(), false);
    private static final OutboundUrlGuard DENY_PRIVATE = guard(List.of(), true);

    private static OutboundUrlGuard guard(List<String> allowHttpHosts, boolean denyPrivateAddresses) {
        return new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(allowHttpHosts, denyPrivateAddresses));
    }

    private static void assertAllowed(OutboundUrlGuard guard, String url) {
        assertThatCode(() -> guard.check(URI.create(url))).as(url).doesNotThrowAnyException();
    }

    private static void assertRefused(OutboundUrlGuard guard, String url, String reason) {
        assertThatThrownBy(() -> guard.check(URI.create(url))).as(url)
                .isInstanceOf(OutboundUrlException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/x", "http://localhost", "https://127.0.0.1", "http://[::1]:8080",
            "http://127.8.9.10:9000/cb", "https://localhost/.well-known/openid-configuration"})
    void checkWhenLoopbackThenAllowedOverHttpAndHttps(String url) {
        assertAllowed(DEFAULT, url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest", "https://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/", "http://100.100.100.200/", "https://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/"})
    void checkWhenLinkLocalOrMetadataAddressThenRefused(String url) {
        assertRefused(guard(List.of("169.254.169.254", "100.100.100.200"), false), url, "link-local or metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://0.0.0.0/", "https://0.0.0.0:8600/", "https://[::]/"})
    void checkWhenWildcardAddressThenRefused(String url) {
        assertRefused(DEFAULT, url, "never contacts");
    }

    @Test
    void checkWhenSchemeNotHttpThenRefused() {
        assertRefused(DEFAULT, "ftp://x/file", "https");
        assertRefused(DEFAULT, "file:///etc/passwd", "https");
        assertRefused(DEFAULT, "/relative/path", "absolute");
    }

    @Test
    void checkWhenUserInfoPresentThenRefused() {
        assertRefused(DEFAULT, "https://user:secret@127.0.0.1/x", "user information");
        assertRefused(DEFAULT, "http://127.0.0.1@127.0.0.1/", "user information");
    }

    @Test
    void checkWhenPlainHttpToNonLoopbackThenRefusedNamingAllowHttpHosts() {
        assertRefused(DEFAULT, "http://10.1.2.3/", "outbound.allowHttpHosts");
        assertRefused(DEFAULT, "http://203.0.113.7/token", "plain http");
    }

    @Test
    void checkWhenPlainHttpHostInAllowHttpHostsThenAllowed() {
        OutboundUrlGuard allowing = guard(List.of("10.1.2.3"), false);
        assertAllowed(allowing, "http://10.1.2.3/");
        assertRefused(allowing, "http://10.1.2.4/", "outbound.allowHttpHosts");
    }

    @Test
    void checkWhenPrivateAddressesDeniedThenPrivateRangesRefused() {
        assertRefused(DENY_PRIVATE, "https://10.1.2.3/", "outbound.denyPrivateAddresses");
        assertRefused(DENY_PRIVATE, "https://192.168.1.1", "private address");
        assertRefused(DENY_PRIVATE, "https://172.16.0.9/", "private address");
        assertRefused(DENY_PRIVATE, "https://100.64.0.1/", "private address");
        assertRefused(DENY_PRIVATE, "https://[fd12:3456::1]/", "private address");
        assertRefused(guard(List.of("10.1.2.3"), true), "http://10.1.2.3/", "private address");
    }

    @Test
    void checkWhenPrivateAddressesDeniedThenLoopbackAndPublicStillAllowed() {
        assertAllowed(DENY_PRIVATE, "http://127.0.0.1:8080/");
        assertAllowed(DENY_PRIVATE, "https://203.0.113.7/");
        assertAllowed(DENY_PRIVATE, "https://172.32.0.1/");
    }

    @Test
    void checkWhenPrivateAddressesNotDeniedThenHttpsToPrivateAllowed() {
        assertAllowed(DEFAULT, "https://10.1.2.3/");
        assertAllowed(DEFAULT, "https://192.168.1.1");
    }

    @Test
    void checkWhenHostDoesNotResolveThenRefused() {
        assertRefused(DEFAULT, "https://no-such-host.invalid/", "does not resolve");
    }
}
