package com.lockstep.phone;

import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.lockstep.phone.PhoneTestSupport.createPhone;
import static com.lockstep.phone.PhoneTestSupport.post;
import static com.lockstep.phone.PhoneTestSupport.userIdentity;
import static com.lockstep.phone.PhoneTestSupport.workspace;
import static org.hamcrest.Matchers.equalTo;

/**
 * With every connection of the pool taken, a read through Panache waits out the pool's acquisition
 * timeout and answers Seam's 503, not a 500.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone_service"))
class PoolExhaustedTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void readsWithNoConnectionFreeAreServiceUnavailable() throws Exception {
        TestWorkspaces.Workspace workspace = workspace();
        String deviceId = createPhone(workspace, userIdentity(workspace));
        int poolSize = dataSource.getConfiguration().connectionPoolConfiguration().maxSize();
        List<Connection> taken = new ArrayList<>();
        try {
            while (taken.size() < poolSize) {
                taken.add(dataSource.getConnection());
            }
            Map<String, Map<String, String>> reads = Map.of("/phones/get", Map.of("device_id", deviceId), "/phones/list", Map.of());
            reads.forEach((path, body) -> post(workspace, path, body)
                    .statusCode(503)
                    .contentType(ContentType.JSON)
                    .body("error.type", equalTo("service_unavailable")));
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }
        post(workspace, "/phones/get", Map.of("device_id", deviceId)).statusCode(200);
    }
}
