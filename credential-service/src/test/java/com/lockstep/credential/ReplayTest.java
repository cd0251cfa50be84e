package com.lockstep.credential;

import com.lockstep.credential.CredentialTestSupport.Sandbox;
import com.lockstep.credential.events.incoming.AcsSystemsConsumer;
import com.lockstep.credential.events.incoming.PhonesConsumer;
import com.lockstep.credential.events.incoming.UserIdentitiesConsumer;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.lockstep.credential.CredentialTestSupport.EVENTS;
import static com.lockstep.credential.CredentialTestSupport.SOON;
import static com.lockstep.credential.CredentialTestSupport.createAcsUser;
import static com.lockstep.credential.CredentialTestSupport.deactivatePhone;
import static com.lockstep.credential.CredentialTestSupport.post;
import static com.lockstep.credential.CredentialTestSupport.registerPhone;
import static com.lockstep.credential.CredentialTestSupport.sandbox;
import static com.lockstep.credential.CredentialTestSupport.userIdentity;
import static com.lockstep.credential.PhoneFlowsTest.childrenOf;
import static com.lockstep.credential.PhoneFlowsTest.createMultiPhoneSyncCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The operator's replay: every consumer group read again from the beginning of its topics changes nothing. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "credential_service"))
class ReplayTest {

    private static final String ADMIN = "/admin/credential_service/consumer_groups";

    @Test
    void replayingEveryTopicFromTheBeginningChangesNothing() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox, "Rita Replay", "rita@example.com", List.of());
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String kept = registerPhone(sandbox, identity);
        String lost = registerPhone(sandbox, identity);
        String parent = createMultiPhoneSyncCredential(sandbox, acsUser);
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).size() == 2);
        deactivatePhone(sandbox, lost, identity);
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).size() == 1);
        EVENTS.awaitConsumed(PhonesConsumer.CONSUMER_GROUP, Topics.PHONE_EVENTS, SOON);
        String credentialsBefore = list(sandbox, "/acs/credentials/list");
        String usersBefore = list(sandbox, "/acs/users/list");
        long credentialEventsBefore = credentialEvents().size();

        admin().body(Map.of()).post(ADMIN + "/list").then().statusCode(200)
                .body("consumer_groups", hasItems(PhonesConsumer.CONSUMER_GROUP, UserIdentitiesConsumer.CONSUMER_GROUP,
                        UserIdentitiesConsumer.CONTACTS_CONSUMER_GROUP, AcsSystemsConsumer.CONSUMER_GROUP));
        admin().body(Map.of()).post(ADMIN + "/replay").then().statusCode(200)
                .body("replays.size()", equalTo(4));

        assertThat(list(sandbox, "/acs/credentials/list")).isEqualTo(credentialsBefore);
        assertThat(list(sandbox, "/acs/users/list")).isEqualTo(usersBefore);
        assertThat(childrenOf(sandbox, parent)).containsOnlyKeys(kept);
        post(sandbox.workspace(), "/acs/users/get", Map.of("acs_user_id", acsUser))
                .body("acs_user.user_identity_full_name", equalTo("Rita Replay"));
        assertThat(credentialEvents()).hasSize((int) credentialEventsBefore);
    }

    @Test
    void replayNeedsTheAdminTokenAndAKnownGroup() {
        RestAssured.given().contentType(ContentType.JSON).body("{}").post(ADMIN + "/replay").then().statusCode(401);
        admin().body(Map.of("consumer_group", "phone-service.issued-credentials")).post(ADMIN + "/replay").then()
                .statusCode(400).body("error.type", equalTo("invalid_input"));
    }

    private static List<ConsumerRecord<String, Object>> credentialEvents() {
        return EVENTS.readUntil(Topics.ACS_CREDENTIAL_EVENTS, read -> false, java.time.Duration.ofSeconds(2));
    }

    private static String list(Sandbox sandbox, String path) {
        return post(sandbox.workspace(), path, Map.of()).statusCode(200).extract().asString();
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer test-admin-token");
    }
}
