package com.lockstep.device;

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

import static com.lockstep.device.DeviceTestSupport.workspace;

/** device-gateway's OpenAPI document says what its code reads and answers, and differs from Seam's only where known. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class OpenApiDocumentTest {

    private static final List<String> KNOWN_DIFFERENCES = List.of(
            // Seam's union of every device type enum; read here as one string, checked against all of them.
            "/devices/list: device_type is string, Seam's union",
            // A page size is a whole number; Seam types it a float.
            "/devices/list: limit is integer, Seam's number/float");

    @TestHTTPResource
    URL base;

    @Test
    void theDocumentHasWhatTheCodeReadsAndDiffersFromSeamsOnlyWhereKnown() throws Exception {
        ServiceOpenApi.assertDocumented(base, workspace().apiKey(), KNOWN_DIFFERENCES);
    }
}
