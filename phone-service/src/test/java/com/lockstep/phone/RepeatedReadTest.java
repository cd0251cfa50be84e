package com.lockstep.phone;

import com.lockstep.kit.db.Database;
import com.lockstep.phone.store.PhoneRepository;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import static com.lockstep.phone.PhoneTestSupport.createPhone;
import static com.lockstep.phone.PhoneTestSupport.userIdentity;
import static com.lockstep.phone.PhoneTestSupport.workspace;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read run again in one request (the read fence's second run) sees the row as it is now, not the
 * entity the first run loaded into the request's session.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone_service"))
class RepeatedReadTest {

    @Inject
    Database database;
    @Inject
    PhoneRepository phones;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void theSecondReadSeesAChangeCommittedAfterTheFirst() throws Exception {
        TestWorkspaces.Workspace workspace = workspace();
        UUID deviceId = UUID.fromString(createPhone(workspace, userIdentity(workspace)));

        assertTrue(database.read(() -> phones.findById(deviceId)).active());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement deactivate = connection.prepareStatement("UPDATE phone SET deactivated_at = now() WHERE device_id = ?")) {
            deactivate.setObject(1, deviceId);
            deactivate.executeUpdate();
        }
        assertFalse(database.read(() -> phones.findById(deviceId)).active());
    }
}
