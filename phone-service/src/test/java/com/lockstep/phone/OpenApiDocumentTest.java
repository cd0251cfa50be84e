package com.lockstep.phone;

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

import static com.lockstep.phone.PhoneTestSupport.workspace;

/** phone-service's OpenAPI document says what its code reads and answers, and differs from Seam's only where known. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone_service"))
class OpenApiDocumentTest {

    private static final List<String> KNOWN_DIFFERENCES = List.of(
            // A phone's id is its device id, a UUID everywhere else in Seam's document.
            "/phones/deactivate: device_id is string/uuid required, Seam's string required",
            // Seam's phones/list is not paginated; this one is, as every list here.
            "/phones/list: limit (integer) is not Seam's",
            "/phones/list: page_cursor (string) is not Seam's",
            // Read as a whole number, which a TSM endpoint id is; Seam types it a float.
            "/phones/simulate/create_sandbox_phone: assa_abloy_metadata.seos_tsm_endpoint_id is integer, Seam's number/float");

    @TestHTTPResource
    URL base;

    @Test
    void theDocumentHasWhatTheCodeReadsAndDiffersFromSeamsOnlyWhereKnown() throws Exception {
        ServiceOpenApi.assertDocumented(base, workspace().apiKey(), KNOWN_DIFFERENCES);
    }
}
