package io.keygate.gateway.runtime;

import io.keygate.gateway.AuthorizerConfiguration;

import java.util.Collection;
import java.util.List;

/** The custom claim operators of the AWS JWT authorizer: EQUALS, CONTAINS, CONTAINS_ANY. */
final class ClaimRules {
    private ClaimRules() {
    }

    static boolean matches(AuthorizerConfiguration.CustomClaim rule, Object claim) {
        if (claim == null || rule.authorizingClaimMatchValue() == null) {
            return false;
        }
        var match = rule.authorizingClaimMatchValue();
        var expected = match.claimMatchValue();
        List<String> actual = claim instanceof Collection<?> values ? values.stream().map(Object::toString).toList()
                : List.of(claim.toString());
        return switch (match.claimMatchOperator()) {
            case "EQUALS" -> actual.size() == 1 && actual.get(0).equals(expected.matchValueString());
            case "CONTAINS" -> actual.contains(expected.matchValueString());
            case "CONTAINS_ANY" -> expected.matchValueStringList() != null
                    && expected.matchValueStringList().stream().anyMatch(actual::contains);
            default -> false;
        };
    }
}
