package io.keygate.net;

import io.keygate.config.KeygateConfig;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether Keygate may fetch a URL (discovery documents, JWKS, token endpoints, targets).
 * The rule, from ARCHITECTURE.md "Outbound URL policy" and the foundation issue: https everywhere,
 * plain http only towards loopback or hosts the administrator allowed; link-local and cloud-metadata
 * addresses never; private ranges unless {@code outbound.denyPrivateAddresses}. The check runs on
 * every address the host resolves to (security.md GW-8).
 */
public final class OutboundUrlGuard {
    private final KeygateConfig.OutboundPolicy policy;

    public OutboundUrlGuard(KeygateConfig.OutboundPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
    }

    /**
     * @throws OutboundUrlException saying why the URL is refused and what to change
     */
    public void check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost();
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new OutboundUrlException("must be an absolute https URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new OutboundUrlException("must not carry user information before the host");
        }
        InetAddress[] addresses = resolve(host);
        boolean allLoopback = true;
        for (InetAddress address : addresses) {
            checkAddress(host, address);
            allLoopback &= address.isLoopbackAddress();
        }
        if (scheme.equals("http") && !allLoopback && !allowedOverHttp(host)) {
            throw new OutboundUrlException("uses plain http towards " + host
                    + "; use https, or allow the host with outbound.allowHttpHosts in the Keygate config");
        }
    }

    private boolean allowedOverHttp(String host) {
        return policy.allowHttpHosts().stream().anyMatch(allowed -> allowed.equalsIgnoreCase(host));
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new OutboundUrlException("names host " + host + ", which does not resolve");
        }
    }

    private void checkAddress(String host, InetAddress address) {
        if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                || isMetadataAddress(address)) {
            throw new OutboundUrlException("resolves to " + address.getHostAddress()
                    + ", a link-local or metadata address Keygate never contacts");
        }
        if (policy.denyPrivateAddresses() && isPrivate(address)) {
            throw new OutboundUrlException("resolves to the private address " + address.getHostAddress() + " of " + host
                    + ", and outbound.denyPrivateAddresses is set");
        }
    }

    private static boolean isMetadataAddress(InetAddress address) {
        byte[] bytes = address.getAddress();
        // 100.100.100.200 (Alibaba), fd00:ec2::254 (AWS IPv6 IMDS); 169.254.x.x is caught as link-local
        return (address instanceof Inet4Address && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xff) == 100
                && (bytes[2] & 0xff) == 100 && (bytes[3] & 0xff) == 200)
                || (address instanceof Inet6Address && address.getHostAddress().startsWith("fd00:ec2:"));
    }

    private static boolean isPrivate(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address.isSiteLocalAddress()
                || (address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc)
                || (address instanceof Inet4Address && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64);
    }
}
