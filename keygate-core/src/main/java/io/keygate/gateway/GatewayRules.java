package io.keygate.gateway;

import io.keygate.error.Validation;
import io.keygate.gateway.AuthorizerConfiguration.CustomClaim;
import io.keygate.gateway.AuthorizerConfiguration.CustomJwtAuthorizer;
import io.keygate.gateway.mcp.McpProtocolVersions;
import io.keygate.net.OutboundUrlException;
import io.keygate.net.OutboundUrlGuard;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The AWS validation rules of CreateGateway and UpdateGateway, plus Keygate's own limits: inbound
 * authorization is CUSTOM_JWT or NONE (there is no IAM), and KMS keys, interceptors and policy engines
 * are refused rather than silently ignored.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGateway.html">CreateGateway</a>
 */
final class GatewayRules {
    static final Pattern NAME = Pattern.compile("([0-9a-zA-Z][-]?){1,100}");
    static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+");
    static final Pattern DISCOVERY_URL = Pattern.compile(".+/\\.well-known/openid-configuration");
    static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    static final Pattern CLAIM_NAME = Pattern.compile("[A-Za-z0-9_.\\-:]+");
    private static final String JWT = "authorizerConfiguration.customJWTAuthorizer";

    private final OutboundUrlGuard guard;

    GatewayRules(OutboundUrlGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
    }

    void validate(GatewayInput input) {
        Validation validation = new Validation()
                .required("name", input.name(), 1, 200, NAME)
                .optional("description", input.description(), 1, 200, null)
                .optional("roleArn", input.roleArn(), 1, 2048, ROLE_ARN)
                .oneOf("protocolType", input.protocolType(), List.of("MCP"))
                .oneOf("exceptionLevel", input.exceptionLevel(), List.of("DEBUG"))
                .tags("tags", input.tags());
        unsupported(validation, input);
        protocol(validation, input.protocolConfiguration());
        authorizer(validation, input);
        validation.throwIfInvalid();
    }

    private static void unsupported(Validation validation, GatewayInput input) {
        if (input.kmsKeyArn() != null) {
            validation.problem("kmsKeyArn", "Keygate encrypts with its own keyring, not AWS KMS; omit kmsKeyArn");
        }
        if (input.interceptorConfigurations() != null && !input.interceptorConfigurations().isNull()) {
            validation.problem("interceptorConfigurations", "gateway interceptors are not supported by Keygate yet; "
                    + "omit interceptorConfigurations");
        }
        if (input.policyEngineConfiguration() != null && !input.policyEngineConfiguration().isNull()) {
            validation.problem("policyEngineConfiguration", "policy engines are not supported by Keygate yet; "
                    + "omit policyEngineConfiguration");
        }
    }

    private static void protocol(Validation validation, GatewayProtocolConfiguration configuration) {
        if (configuration == null) {
            return;
        }
        if (configuration.mcp() == null) {
            validation.problem("protocolConfiguration", "must hold the member mcp");
            return;
        }
        var mcp = configuration.mcp();
        List<String> versions = mcp.supportedVersions() == null ? List.of() : mcp.supportedVersions();
        for (int i = 0; i < versions.size(); i++) {
            validation.oneOf("protocolConfiguration.mcp.supportedVersions[" + i + "]", versions.get(i), McpProtocolVersions.SUPPORTED);
        }
        validation.optional("protocolConfiguration.mcp.instructions", mcp.instructions(), 1, 2048, null)
                .oneOf("protocolConfiguration.mcp.searchType", mcp.searchType(), List.of("SEMANTIC"));
        if (mcp.sessionConfiguration() != null) {
            validation.range("protocolConfiguration.mcp.sessionConfiguration.sessionTimeoutInSeconds",
                    mcp.sessionConfiguration().sessionTimeoutInSeconds(), 900, 28800);
        }
    }

    private void authorizer(Validation validation, GatewayInput input) {
        String type = input.authorizerType();
        if (type == null) {
            validation.problem("authorizerType", "is required; give CUSTOM_JWT (callers present a JWT) or NONE");
            return;
        }
        if (type.equals("AWS_IAM") || type.equals("AUTHENTICATE_ONLY")) {
            validation.problem("authorizerType", type + " is not available: Keygate has no IAM; Keygate supports "
                    + "CUSTOM_JWT and NONE");
            return;
        }
        validation.oneOf("authorizerType", type, List.of("CUSTOM_JWT", "NONE"));
        var configuration = input.authorizerConfiguration();
        if (type.equals("NONE") && configuration != null && configuration.customJWTAuthorizer() != null) {
            validation.problem("authorizerConfiguration", "is only for authorizerType CUSTOM_JWT; omit it for NONE");
        }
        if (type.equals("CUSTOM_JWT")) {
            if (configuration == null || configuration.customJWTAuthorizer() == null) {
                validation.problem(JWT, "is required for authorizerType CUSTOM_JWT: give at least its discoveryUrl");
                return;
            }
            customJwt(validation, configuration.customJWTAuthorizer());
        }
    }

    private void customJwt(Validation validation, CustomJwtAuthorizer jwt) {
        validation.required(JWT + ".discoveryUrl", jwt.discoveryUrl(), 1, 2048, DISCOVERY_URL);
        if (jwt.discoveryUrl() != null && DISCOVERY_URL.matcher(jwt.discoveryUrl()).matches()) {
            checkUrl(validation, JWT + ".discoveryUrl", jwt.discoveryUrl(), guard);
        }
        list(validation, JWT + ".allowedAudience", jwt.allowedAudience(), 1, 255, null);
        list(validation, JWT + ".allowedClients", jwt.allowedClients(), 1, 255, null);
        list(validation, JWT + ".allowedScopes", jwt.allowedScopes(), 1, 255, SCOPE);
        if (jwt.customClaims() != null) {
            if (jwt.customClaims().isEmpty()) {
                validation.problem(JWT + ".customClaims", "must hold at least one rule when given; omit it otherwise");
            }
            for (int i = 0; i < jwt.customClaims().size(); i++) {
                claim(validation, JWT + ".customClaims[" + i + "]", jwt.customClaims().get(i));
            }
        }
    }

    private static void claim(Validation validation, String field, CustomClaim claim) {
        validation.required(field + ".inboundTokenClaimName", claim.inboundTokenClaimName(), 1, 255, CLAIM_NAME)
                .required(field + ".inboundTokenClaimValueType", claim.inboundTokenClaimValueType(), 1, 32, null)
                .oneOf(field + ".inboundTokenClaimValueType", claim.inboundTokenClaimValueType(),
                        List.of("STRING", "STRING_ARRAY"));
        var match = claim.authorizingClaimMatchValue();
        if (match == null || match.claimMatchValue() == null) {
            validation.problem(field + ".authorizingClaimMatchValue", "is required: give claimMatchValue and claimMatchOperator");
            return;
        }
        String operator = match.claimMatchOperator();
        validation.required(field + ".authorizingClaimMatchValue.claimMatchOperator", operator, 1, 32, null)
                .oneOf(field + ".authorizingClaimMatchValue.claimMatchOperator", operator,
                        List.of("EQUALS", "CONTAINS", "CONTAINS_ANY"));
        var value = match.claimMatchValue();
        boolean single = value.matchValueString() != null;
        if (single == (value.matchValueStringList() != null)) {
            validation.problem(field + ".authorizingClaimMatchValue.claimMatchValue",
                    "must hold exactly one of matchValueString or matchValueStringList");
        } else if ("CONTAINS_ANY".equals(operator) == single) {
            validation.problem(field + ".authorizingClaimMatchValue", "CONTAINS_ANY takes matchValueStringList; "
                    + "EQUALS and CONTAINS take matchValueString");
        }
    }

    static void list(Validation validation, String field, List<String> values, int min, int max, Pattern pattern) {
        if (values == null) {
            return;
        }
        if (values.isEmpty()) {
            validation.problem(field, "must hold at least one value when given; omit it otherwise");
        }
        for (int i = 0; i < values.size(); i++) {
            validation.required(field + "[" + i + "]", values.get(i), min, max, pattern);
        }
    }

    /** Adds a problem when Keygate's outbound URL policy refuses {@code url}. */
    static void checkUrl(Validation validation, String field, String url, OutboundUrlGuard guard) {
        try {
            guard.check(URI.create(url));
        } catch (IllegalArgumentException malformed) {
            validation.problem(field, "is not a valid URL");
        } catch (OutboundUrlException refused) {
            validation.problem(field, refused.getMessage());
        }
    }
}
