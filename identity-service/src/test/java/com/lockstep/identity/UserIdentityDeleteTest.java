package com.lockstep.identity;

import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.lockstep.identity.IdentityTestSupport.acsUserCreated;
import static com.lockstep.identity.IdentityTestSupport.as;
import static com.lockstep.identity.IdentityTestSupport.createIdentity;
import static com.lockstep.identity.IdentityTestSupport.credentialDeleted;
import static com.lockstep.identity.IdentityTestSupport.credentialIssued;
import static com.lockstep.identity.IdentityTestSupport.deviceState;
import static com.lockstep.identity.IdentityTestSupport.enrollmentAutomationDeleted;
import static com.lockstep.identity.IdentityTestSupport.enrollmentAutomationLaunched;
import static com.lockstep.identity.IdentityTestSupport.grantOnceDeviceIsKnown;
import static com.lockstep.identity.IdentityTestSupport.lock;
import static com.lockstep.identity.IdentityTestSupport.phoneDeactivated;
import static com.lockstep.identity.IdentityTestSupport.phoneRegistered;
import static com.lockstep.identity.IdentityTestSupport.post;
import static com.lockstep.identity.IdentityTestSupport.uuid;
import static com.lockstep.identity.IdentityTestSupport.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Seam's delete rule, driven by the real events of the phone, credential and enrollment
 * automation contexts on Kafka: refused while anything is left, naming it; then allowed.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class UserIdentityDeleteTest {

    private static final Logger LOG = Logger.getLogger(UserIdentityDeleteTest.class);

    @Test
    void deleteIsRefusedWhileAPhoneCredentialOrEnrollmentAutomationIsLeft() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace);
        String phone = uuid();
        String credential = uuid();
        String automation = uuid();
        phoneRegistered(workspace, phone, identity);
        credentialIssued(workspace, credential, identity, null, phone);
        enrollmentAutomationLaunched(workspace, automation, identity);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(refusal(workspace, identity)).contains("1 credential (acs_credential_id " + credential + ")")
                        .contains("1 enrollment automation (enrollment_automation_id " + automation + ")")
                        .contains("1 phone not deactivated (device_id " + phone + ")"));
        as(workspace).queryParam("user_identity_id", identity).delete("/user_identities/delete").then()
                .statusCode(409).body("ok", equalTo(false)).body("error.type", equalTo("user_identity_in_use"));

        enrollmentAutomationDeleted(workspace, automation, identity);
        credentialDeleted(workspace, credential, identity);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(refusal(workspace, identity)).doesNotContain("acs_credential_id")
                        .doesNotContain("enrollment_automation_id").contains("1 phone not deactivated"));
        phoneDeactivated(workspace, phone, identity);
        await().atMost(Duration.ofSeconds(10)).until(() -> delete(workspace, identity).statusCode() == 200);
        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(404);
    }

    @Test
    void aCredentialOfALinkedAcsUserKeepsTheIdentityToo() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace);
        String acsUser = uuid();
        String credential = uuid();
        acsUserCreated(workspace, acsUser, uuid(), identity, "Ivy", null, null);
        credentialIssued(workspace, credential, null, acsUser, null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(refusal(workspace, identity)).contains("acs_credential_id " + credential));
        credentialDeleted(workspace, credential, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> delete(workspace, identity).statusCode() == 200);
    }

    /**
     * The lost-phone flow as the other contexts carry it out: phone-service deactivates the phone,
     * credential-service revokes its credential. From the revocation's arrival on Kafka to
     * identity-service letting the identity be deleted takes under a second.
     */
    @Test
    void afterTheLostPhonesCredentialIsRevokedDeletionSucceedsWithinASecond() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace);
        String lock = uuid();
        deviceState(lock(workspace, lock, "Lobby"));
        grantOnceDeviceIsKnown(workspace, identity, lock);
        String phone = uuid();
        String credential = uuid();
        phoneRegistered(workspace, phone, identity);
        credentialIssued(workspace, credential, identity, null, phone);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(refusal(workspace, identity)).contains(credential).contains(phone));

        phoneDeactivated(workspace, phone, identity);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(refusal(workspace, identity)).contains(credential).doesNotContain("device_id"));
        credentialDeleted(workspace, credential, identity);
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> delete(workspace, identity).statusCode() == 200);
        Duration visibleAfter = Duration.ofNanos(System.nanoTime() - revokedAt);
        assertThat(visibleAfter).isLessThan(Duration.ofSeconds(1));
        LOG.infof("Deletion allowed %d ms after the credential's revocation reached Kafka", visibleAfter.toMillis());

        post(workspace, "/user_identities/get", Map.of("user_identity_id", identity)).statusCode(404);
        post(workspace, "/user_identities/list", Map.of("user_identity_ids", List.of(identity)))
                .statusCode(200).body("user_identities", hasSize(0));
    }

    private static String refusal(TestWorkspaces.Workspace workspace, String identity) {
        ExtractableResponse<Response> response = post(workspace, "/user_identities/delete", Map.of("user_identity_id", identity))
                .statusCode(409).body("error.type", equalTo("user_identity_in_use")).extract();
        return response.path("error.message");
    }

    private static Response delete(TestWorkspaces.Workspace workspace, String identity) {
        return as(workspace).queryParam("user_identity_id", identity).delete("/user_identities/delete");
    }
}
