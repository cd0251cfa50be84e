package com.lockstep.phone;

import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.lockstep.phone.PhoneTestSupport.createPhone;
import static com.lockstep.phone.PhoneTestSupport.post;
import static com.lockstep.phone.PhoneTestSupport.userIdentity;
import static com.lockstep.phone.PhoneTestSupport.workspace;

/**
 * A write held up past the consistency timeout, here by a row lock another transaction holds, has
 * committed by the time it waits for its event to be published: that wait has time of its own,
 * and the answer is the write's, not a 503 that would invite the client to repeat it.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone_service"))
class SlowWriteTest {

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "lockstep.consistency.timeout", defaultValue = "PT2S")
    Duration consistencyTimeout;

    @Test
    void aWriteHeldUpPastTheConsistencyTimeoutAnswersOnceItsEventIsPublished() throws Exception {
        TestWorkspaces.Workspace workspace = workspace();
        String deviceId = createPhone(workspace, userIdentity(workspace));
        CompletableFuture<ValidatableResponse> deactivation;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM phone WHERE device_id = ? FOR UPDATE")) {
                lock.setObject(1, UUID.fromString(deviceId));
                lock.executeQuery().close();
            }
            deactivation = CompletableFuture.supplyAsync(() -> post(workspace, "/phones/deactivate", Map.of("device_id", deviceId)));
            Thread.sleep(consistencyTimeout.plusMillis(500).toMillis());
            holder.rollback();
        }
        deactivation.get(30, TimeUnit.SECONDS).statusCode(200);
        post(workspace, "/phones/get", Map.of("device_id", deviceId)).statusCode(404);
    }
}
