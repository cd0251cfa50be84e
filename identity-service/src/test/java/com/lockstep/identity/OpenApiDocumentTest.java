package com.lockstep.identity;

import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.ServiceOpenApi;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static com.lockstep.identity.IdentityTestSupport.workspace;

/** identity-service's OpenAPI document says what its code reads and answers, and differs from Seam's only where known. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class OpenApiDocumentTest {

    private static final List<String> KNOWN_DIFFERENCES = List.of(
            // Read as a whole number, which a count is; Seam types it a float.
            "/user_identities/generate_instant_key: max_use_count is integer, Seam's number/float");

    @TestHTTPResource
    URL base;

    @Test
    void theDocumentHasWhatTheCodeReadsAndDiffersFromSeamsOnlyWhereKnown() throws Exception {
        ServiceOpenApi.assertDocumented(base, workspace().apiKey(), KNOWN_DIFFERENCES);
    }
}
