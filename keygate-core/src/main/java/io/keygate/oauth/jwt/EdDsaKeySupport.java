package io.keygate.oauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;

import java.security.Key;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Lets Nimbus verify EdDSA (RFC 8037) signatures with keys from a JWK set. Nimbus's
 * {@link JWSVerificationKeySelector} hands out {@link java.security.Key}s, which an Ed25519
 * {@link OctetKeyPair} cannot be converted to, and its default verifier factory has no EdDSA verifier;
 * here the OKP is carried in a {@link Key} wrapper and turned into an {@link Ed25519Verifier}.
 * RSA and EC keys go through Nimbus unchanged.
 */
final class EdDsaKeySupport {
    private EdDsaKeySupport() {
    }

    /** An Ed25519 public JWK carried where Nimbus expects a {@link Key}; never leaves this package. */
    private record OkpPublicKey(OctetKeyPair jwk) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "EdDSA";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    /** A {@link JWSVerificationKeySelector} that also selects OKP keys for the allowed EdDSA algorithms. */
    static final class KeySelector extends JWSVerificationKeySelector<SecurityContext> {
        KeySelector(Set<JWSAlgorithm> allowed, JWKSource<SecurityContext> source) {
            super(Objects.requireNonNull(allowed, "allowed must not be null"),
                    Objects.requireNonNull(source, "source must not be null"));
        }

        @Override
        public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
            if (!JWSAlgorithm.Family.ED.contains(header.getAlgorithm())) {
                return super.selectJWSKeys(header, context);
            }
            if (!isAllowed(header.getAlgorithm())) {
                return List.of();
            }
            @SuppressWarnings("unchecked")
            JWKSource<SecurityContext> source = getJWKSource();
            return source.get(new JWKSelector(createJWKMatcher(header)), context).stream()
                    .filter(OctetKeyPair.class::isInstance)
                    .map(jwk -> (Key) new OkpPublicKey(((OctetKeyPair) jwk).toPublicJWK()))
                    .toList();
        }
    }

    /** Nimbus's {@link DefaultJWSVerifierFactory}, plus {@link Ed25519Verifier} for wrapped OKP keys. */
    static final class VerifierFactory implements JWSVerifierFactory {
        private final DefaultJWSVerifierFactory delegate = new DefaultJWSVerifierFactory();

        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            if (key instanceof OkpPublicKey okp) {
                return new Ed25519Verifier(okp.jwk());
            }
            return delegate.createJWSVerifier(header, key);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return JWSAlgorithm.Family.SIGNATURE;
        }

        @Override
        public JCAContext getJCAContext() {
            return delegate.getJCAContext();
        }
    }
}
