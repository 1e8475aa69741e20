package io.keygate.identity.token;

import io.keygate.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code GetResourceOauth2Token} answer carries the AWS members only; Keygate's consent reason stays inside. */
class ResourceTokenResultTests {

    @Test
    void writeWhenConsentReasonSetThenOnlyAwsMembersOnTheWire() {
        var result = new ResourceTokenService.Result(null, "https://keygate/authorize", "urn:session", "IN_PROGRESS",
                "NEEDS_REAUTH:invalid_grant");

        String json = Json.write(result);

        assertThat(json).contains("\"authorizationUrl\"").contains("\"sessionUri\"").contains("\"sessionStatus\"")
                .doesNotContain("consentReason").doesNotContain("invalid_grant");
        assertThat(result.consentReason()).isEqualTo("NEEDS_REAUTH:invalid_grant");
    }
}
