package com.lockstep.identity;

import com.lockstep.identity.events.incoming.AcsSystemsConsumer;
import com.lockstep.identity.events.incoming.AcsUsersConsumer;
import com.lockstep.identity.events.incoming.AcsCredentialsConsumer;
import com.lockstep.identity.events.incoming.DevicesConsumer;
import com.lockstep.identity.events.incoming.EnrollmentAutomationsConsumer;
import com.lockstep.identity.events.incoming.PhonesConsumer;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServers;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.lockstep.identity.IdentityTestSupport.acsSystemAdded;
import static com.lockstep.identity.IdentityTestSupport.acsUserCreated;
import static com.lockstep.identity.IdentityTestSupport.acsUserDeleted;
import static com.lockstep.identity.IdentityTestSupport.acsUserIdsOf;
import static com.lockstep.identity.IdentityTestSupport.addAcsUserOnceKnown;
import static com.lockstep.identity.IdentityTestSupport.admin;
import static com.lockstep.identity.IdentityTestSupport.awaitProjected;
import static com.lockstep.identity.IdentityTestSupport.createIdentity;
import static com.lockstep.identity.IdentityTestSupport.credentialDeleted;
import static com.lockstep.identity.IdentityTestSupport.credentialIssued;
import static com.lockstep.identity.IdentityTestSupport.deviceRemoved;
import static com.lockstep.identity.IdentityTestSupport.deviceState;
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
 * Replaying every topic identity-service consumes, from the beginning into empty projections,
 * rebuilds exactly the same answers: every list endpoint (and the delete preconditions) is
 * compared before and after.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class ProjectionReplayTest {

    private static final List<String> GROUPS = List.of(PhonesConsumer.CONSUMER_GROUP, AcsCredentialsConsumer.CONSUMER_GROUP,
            EnrollmentAutomationsConsumer.CONSUMER_GROUP, AcsUsersConsumer.CONSUMER_GROUP, AcsSystemsConsumer.CONSUMER_GROUP,
            DevicesConsumer.CONSUMER_GROUP);
    private static final List<String> PROJECTION_TABLES = List.of("phone", "credential", "enrollment_automation", "acs_user",
            "acs_system", "device");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void replayingEveryProjectionIntoEmptyTablesRebuildsTheSameAnswers() throws Exception {
        TestWorkspaces.Workspace workspace = workspace();
        String ann = createIdentity(workspace, Map.of("full_name", "Ann", "email_address", "ann@replay.example"));
        String bob = createIdentity(workspace, Map.of("full_name", "Bob", "user_identity_key", "bob"));
        String system = uuid();
        String otherSystem = uuid();
        acsSystemAdded(workspace, system, "Replay site");
        acsSystemAdded(workspace, otherSystem, "Other site");
        String annsAcsUser = uuid();
        String bobsAcsUser = uuid();
        String removedAcsUser = uuid();
        String deletedAcsUser = uuid();
        acsUserCreated(workspace, annsAcsUser, system, ann, "Ann A.", "ann@replay.example", null);
        acsUserCreated(workspace, bobsAcsUser, otherSystem, null, "Bob", null, null);
        acsUserCreated(workspace, removedAcsUser, otherSystem, ann, "Ann", null, null);
        acsUserCreated(workspace, deletedAcsUser, system, bob, "Bob", null, null);
        addAcsUserOnceKnown(workspace, bob, bobsAcsUser);
        await().atMost(Duration.ofSeconds(10)).until(() -> acsUserIdsOf(workspace, ann).contains(removedAcsUser)
                && acsUserIdsOf(workspace, bob).contains(deletedAcsUser));
        post(workspace, "/user_identities/remove_acs_user", Map.of("user_identity_id", ann, "acs_user_id", removedAcsUser)).statusCode(200);
        acsUserDeleted(workspace, deletedAcsUser, system);
        await().atMost(Duration.ofSeconds(10)).until(() -> !acsUserIdsOf(workspace, bob).contains(deletedAcsUser));

        String kept = uuid();
        String renamed = uuid();
        String removed = uuid();
        deviceState(lock(workspace, kept, "Kept"));
        deviceState(lock(workspace, renamed, "Before"));
        deviceState(lock(workspace, removed, "Removed"));
        grantOnceDeviceIsKnown(workspace, ann, kept);
        grantOnceDeviceIsKnown(workspace, ann, renamed);
        grantOnceDeviceIsKnown(workspace, bob, removed);
        deviceState(lock(workspace, renamed, "After"));
        deviceRemoved(removed);

        String annsPhone = uuid();
        String bobsLostPhone = uuid();
        phoneRegistered(workspace, annsPhone, ann);
        phoneRegistered(workspace, bobsLostPhone, bob);
        phoneDeactivated(workspace, bobsLostPhone, bob);
        String annsCredential = uuid();
        String revokedCredential = uuid();
        String bobsCredential = uuid();
        credentialIssued(workspace, annsCredential, ann, null, annsPhone);
        credentialIssued(workspace, revokedCredential, bob, null, bobsLostPhone);
        credentialDeleted(workspace, revokedCredential, bob);
        credentialIssued(workspace, bobsCredential, null, bobsAcsUser, null);
        enrollmentAutomationLaunched(workspace, uuid(), ann);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(refusal(workspace, ann)).contains(annsCredential).contains("1 enrollment automation").contains(annsPhone);
            assertThat(refusal(workspace, bob)).contains(bobsCredential).doesNotContain(revokedCredential).doesNotContain("device_id");
            post(workspace, "/user_identities/list_accessible_devices", Map.of("user_identity_id", ann))
                    .body("devices.display_name", equalTo(List.of("Kept", "After")));
            post(workspace, "/user_identities/list_accessible_devices", Map.of("user_identity_id", bob)).body("devices", hasSize(0));
        });
        Map<String, Object> before = answers(workspace, List.of(ann, bob));

        // A projection lost or damaged: the replay must rebuild it from the topics alone.
        try (Connection connection = dataSource.getConnection(); Statement damage = connection.createStatement()) {
            for (String table : PROJECTION_TABLES) {
                damage.execute("DELETE FROM " + table);
            }
        }
        post(workspace, "/user_identities/list_accessible_devices", Map.of("user_identity_id", ann)).body("devices", hasSize(0));
        post(workspace, "/user_identities/list_acs_systems", Map.of("user_identity_id", ann)).body("acs_systems", hasSize(0));

        var replays = admin().body(Map.of()).post("/admin/identity_service/projections/replay").then().statusCode(200)
                .body("ok", equalTo(true)).extract();
        assertThat(replays.<List<String>>path("replays.consumer_group")).containsExactlyInAnyOrderElementsOf(GROUPS);
        assertThat(replays.<List<Integer>>path("replays.records_replayed")).allMatch(records -> records > 0);

        assertThat(answers(workspace, List.of(ann, bob))).isEqualTo(before);
        for (String group : GROUPS) {
            if (!group.equals(DevicesConsumer.CONSUMER_GROUP)) {
                assertThat(processedEvents(group)).as("processed_event rows of " + group).isPositive();
            }
        }
    }

    @Test
    void oneProjectionCanBeReplayedAloneAndUnknownOnesAreRefused() {
        admin().body(Map.of("consumer_group", PhonesConsumer.CONSUMER_GROUP)).post("/admin/identity_service/projections/replay").then()
                .statusCode(200).body("replays.consumer_group", equalTo(List.of(PhonesConsumer.CONSUMER_GROUP)))
                .body("replays[0].topics", equalTo(List.of(Topics.PHONE_EVENTS)));
        admin().body(Map.of("consumer_group", "phone-service.issued-credentials")).post("/admin/identity_service/projections/replay").then()
                .statusCode(400).body("error.type", equalTo("invalid_input"));
        admin().body(Map.of()).post("/admin/identity_service/projections/list").then().statusCode(200)
                .body("consumer_groups", hasSize(GROUPS.size()));
        RestAssured.given().contentType("application/json").body("{}").post("/admin/identity_service/projections/replay").then()
                .statusCode(401).body("error.type", equalTo("unauthorized"));
    }

    /** Another replica's consumer in the group: the reset is refused, and this replica keeps consuming. */
    @Test
    void replayIsRefusedWhileAnotherReplicaConsumesTheGroup() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.get().kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, EnrollmentAutomationsConsumer.CONSUMER_GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> otherReplica = new KafkaConsumer<>(config)) {
            otherReplica.subscribe(List.of(Topics.ENROLLMENT_AUTOMATION_EVENTS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                otherReplica.poll(Duration.ofMillis(100));
                return !otherReplica.assignment().isEmpty();
            });
            admin().body(Map.of("consumer_group", EnrollmentAutomationsConsumer.CONSUMER_GROUP))
                    .post("/admin/identity_service/projections/replay").then()
                    .statusCode(409).body("error.type", equalTo("consumer_group_in_use"));
        }
        TestWorkspaces.Workspace workspace = workspace();
        String identity = createIdentity(workspace);
        String automation = uuid();
        enrollmentAutomationLaunched(workspace, automation, identity);
        awaitProjected(dataSource, "enrollment_automation", "enrollment_automation_id", automation);
        admin().body(Map.of("consumer_group", EnrollmentAutomationsConsumer.CONSUMER_GROUP)).post("/admin/identity_service/projections/replay")
                .then().statusCode(200);
    }

    /** Every answer of every list endpoint (and get, and what delete says is left) for these identities. */
    private static Map<String, Object> answers(TestWorkspaces.Workspace workspace, List<String> identities) {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("list", post(workspace, "/user_identities/list", Map.of()).statusCode(200).extract().path("user_identities"));
        for (String identity : identities) {
            Map<String, String> of = Map.of("user_identity_id", identity);
            answers.put("get " + identity, post(workspace, "/user_identities/get", of).statusCode(200).extract().path("user_identity"));
            answers.put("list_acs_users " + identity, post(workspace, "/user_identities/list_acs_users", of).statusCode(200)
                    .extract().path("acs_users"));
            answers.put("list_acs_systems " + identity, post(workspace, "/user_identities/list_acs_systems", of).statusCode(200)
                    .extract().path("acs_systems"));
            answers.put("list_accessible_devices " + identity, post(workspace, "/user_identities/list_accessible_devices", of)
                    .statusCode(200).extract().path(""));
            answers.put("delete " + identity, refusal(workspace, identity));
        }
        return answers;
    }

    /** What delete answers; the identities here always have something left, so delete never succeeds. */
    private static String refusal(TestWorkspaces.Workspace workspace, String identity) {
        var response = post(workspace, "/user_identities/delete", Map.of("user_identity_id", identity)).extract();
        return response.statusCode() + " " + response.path("error.message");
    }

    private long processedEvents(String consumer) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM processed_event WHERE consumer = ?")) {
            count.setString(1, consumer);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
