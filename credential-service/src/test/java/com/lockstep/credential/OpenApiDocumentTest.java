package com.lockstep.credential;

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

import static com.lockstep.credential.CredentialTestSupport.sandbox;

/** credential-service's OpenAPI document says what its code reads and answers, and differs from Seam's only where known. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "credential_service"))
class OpenApiDocumentTest {

    private static final List<String> KNOWN_DIFFERENCES = List.of(
            // Manufacturer metadata is kept as given and answered back; its fields are not read one by one.
            "/acs/credentials/create: assa_abloy_vostio_metadata.auto_join (boolean) is not read",
            "/acs/credentials/create: assa_abloy_vostio_metadata.join_all_guest_acs_entrances (boolean) is not read",
            "/acs/credentials/create: assa_abloy_vostio_metadata.override_all_guest_acs_entrances (boolean) is not read",
            "/acs/credentials/create: assa_abloy_vostio_metadata.override_guest_acs_entrance_ids (array/uuid) is not read",
            "/acs/credentials/create: hotek_metadata.auto_join (boolean) is not read",
            "/acs/credentials/create: hotek_metadata.override (boolean) is not read",
            "/acs/credentials/create: salto_space_metadata.assign_new_key (boolean) is not read",
            "/acs/credentials/create: salto_space_metadata.update_current_key (boolean) is not read",
            "/acs/credentials/create: visionline_metadata.assa_abloy_credential_service_mobile_endpoint_id (string/uuid) is not read",
            "/acs/credentials/create: visionline_metadata.auto_join (boolean) is not read",
            "/acs/credentials/create: visionline_metadata.card_format (string) is not read",
            "/acs/credentials/create: visionline_metadata.card_function_type (string) is not read",
            "/acs/credentials/create: visionline_metadata.is_override_key (boolean) is not read",
            "/acs/credentials/create: visionline_metadata.joiner_acs_credential_ids (array/uuid) is not read",
            "/acs/credentials/create: visionline_metadata.override (boolean) is not read",
            // A page size is a whole number; Seam types it a float.
            "/acs/credentials/list: limit is integer, Seam's number/float",
            // A credential's id is a UUID everywhere else in Seam's document.
            "/acs/credentials/update: acs_credential_id is string/uuid required, Seam's string required");

    @TestHTTPResource
    URL base;

    @Test
    void theDocumentHasWhatTheCodeReadsAndDiffersFromSeamsOnlyWhereKnown() throws Exception {
        ServiceOpenApi.assertDocumented(base, sandbox().workspace().apiKey(), KNOWN_DIFFERENCES);
    }
}
