package com.lockstep.phone;

import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.phone.events.incoming.AcsCredentialsConsumer;
import com.lockstep.phone.events.incoming.UserIdentitiesConsumer;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.lockstep.phone.PhoneTestSupport.EVENTS;
import static com.lockstep.phone.PhoneTestSupport.as;
import static com.lockstep.phone.PhoneTestSupport.createPhone;
import static com.lockstep.phone.PhoneTestSupport.deleteUserIdentity;
import static com.lockstep.phone.PhoneTestSupport.post;
import static com.lockstep.phone.PhoneTestSupport.userIdentity;
import static com.lockstep.phone.PhoneTestSupport.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone_service"))
class PhoneEventsTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void deactivatingAPhonePublishesPhoneDeactivatedWithEveryField() {
        TestWorkspaces.Workspace workspace = workspace();
        String owner = userIdentity(workspace);
        String deviceId = createPhone(workspace, owner);
        Instant before = Instant.now();
        as(workspace).queryParam("device_id", deviceId).delete("/phones/deactivate").then().statusCode(200);

        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.PHONE_EVENTS,
                read -> read.stream().anyMatch(r -> deactivationOf(r, deviceId)), Duration.ofSeconds(10));
        ConsumerRecord<String, Object> record = records.stream().filter(r -> deactivationOf(r, deviceId)).findFirst().orElseThrow();
        PhoneDeactivated event = (PhoneDeactivated) record.value();

        assertThat(record.key()).isEqualTo(deviceId);
        assertThat(event.getEventType()).isEqualTo("phone.deactivated");
        assertThat(UUID.fromString(event.getEventId())).isNotNull();
        assertThat(event.getWorkspaceId()).isEqualTo(workspace.workspaceId().toString());
        assertThat(event.getDeviceId()).isEqualTo(deviceId);
        assertThat(event.getOwnerUserIdentityId()).isEqualTo(owner);
        assertThat(event.getOccurredAt()).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(event.getCreatedAt()).isAfterOrEqualTo(event.getOccurredAt());
        assertThat(header(record, "event_id")).isEqualTo(event.getEventId());
        assertThat(header(record, "event_type")).isEqualTo("phone.deactivated");

        List<Object> ofThisPhone = records.stream().filter(r -> deviceId.equals(r.key())).map(ConsumerRecord::value).toList();
        assertThat(ofThisPhone).hasSize(2);
        assertThat(ofThisPhone.get(0)).isInstanceOf(PhoneRegistered.class);
        assertThat(((PhoneRegistered) ofThisPhone.get(0)).getOwnerUserIdentityId()).isEqualTo(owner);
    }

    @Test
    void phonesAreFoundByTheCredentialIssuedToThem() {
        TestWorkspaces.Workspace workspace = workspace();
        String deviceId = createPhone(workspace, userIdentity(workspace));
        String credentialId = UUID.randomUUID().toString();
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, AcsCredentialIssued.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("acs_credential.issued")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setAcsCredentialId(credentialId)
                .setAcsSystemId(UUID.randomUUID().toString())
                .setAccessMethod("mobile_key")
                .setDeviceId(deviceId)
                .build());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                post(workspace, "/phones/list", Map.of("acs_credential_id", credentialId)).statusCode(200)
                        .body("phones.device_id", equalTo(List.of(deviceId))));
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheFlowGoesOn() {
        TestWorkspaces.Workspace workspace = workspace();
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        EVENTS.publishRaw(Topics.ACS_CREDENTIAL_EVENTS, "poison".getBytes(StandardCharsets.UTF_8), garbage);
        String badCredential = "not-a-uuid-" + UUID.randomUUID();
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, badCredential, AcsCredentialIssued.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("acs_credential.issued")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setAcsCredentialId(badCredential)
                .setAcsSystemId(UUID.randomUUID().toString())
                .setAccessMethod("mobile_key")
                .setDeviceId(UUID.randomUUID().toString())
                .build());

        String dlq = Topics.deadLetterTopic(Topics.ACS_CREDENTIAL_EVENTS);
        var deadLetters = EVENTS.readRawUntil(dlq, read -> read.stream().filter(r -> r.key() != null &&
                (new String(r.key(), StandardCharsets.UTF_8).equals("poison") || new String(r.key(), StandardCharsets.UTF_8).equals(badCredential))).count() >= 2,
                Duration.ofSeconds(10));
        var garbageLetter = deadLetters.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("poison")).findFirst().orElseThrow();
        assertThat(garbageLetter.value()).isEqualTo(garbage);
        assertThat(rawHeader(garbageLetter.headers().lastHeader(Inbox.DLQ_REASON))).startsWith("undeserialisable");
        assertThat(rawHeader(garbageLetter.headers().lastHeader(Inbox.DLQ_CONSUMER))).isEqualTo(AcsCredentialsConsumer.CONSUMER_GROUP);
        assertThat(rawHeader(garbageLetter.headers().lastHeader(Inbox.DLQ_TOPIC))).isEqualTo(Topics.ACS_CREDENTIAL_EVENTS);
        var invalidLetter = deadLetters.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(badCredential)).findFirst().orElseThrow();
        assertThat(rawHeader(invalidLetter.headers().lastHeader(Inbox.DLQ_REASON))).contains("acs_credential_id is not a UUID");
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher deadLettered = Pattern.compile("lockstep_dead_letters_total\\{consumer_group=\"" + AcsCredentialsConsumer.CONSUMER_GROUP
                + "\",topic=\"" + Topics.ACS_CREDENTIAL_EVENTS + "\",?} ([0-9.]+)").matcher(metrics);
        assertThat(deadLettered.find()).as("dead letters counted in %s", metrics).isTrue();
        assertThat(Double.parseDouble(deadLettered.group(1))).isGreaterThanOrEqualTo(2);

        phonesAreFoundByTheCredentialIssuedToThem();
    }

    @Test
    void sandboxPhonesAreRegisteredOnlyToIdentitiesNotDeleted() {
        TestWorkspaces.Workspace workspace = workspace();
        String identity = userIdentity(workspace);
        createPhone(workspace, identity);

        deleteUserIdentity(workspace, identity);
        post(workspace, "/phones/simulate/create_sandbox_phone", Map.of("user_identity_id", identity)).statusCode(404)
                .body("error.type", equalTo("user_identity_not_found"));
    }

    @Test
    void replayRebuildsTheUserIdentitiesFromTheTopic() throws Exception {
        TestWorkspaces.Workspace workspace = workspace();
        String live = userIdentity(workspace);
        String deleted = userIdentity(workspace);
        deleteUserIdentity(workspace, deleted);

        // The projection lost: the replay must rebuild it from the topic alone.
        try (Connection connection = dataSource.getConnection(); Statement damage = connection.createStatement()) {
            damage.execute("DELETE FROM user_identity");
        }
        post(workspace, "/phones/simulate/create_sandbox_phone", Map.of("user_identity_id", live)).statusCode(404);

        RestAssured.given().contentType(ContentType.JSON).header("Authorization", "Bearer test-admin-token")
                .body(Map.of("consumer_group", UserIdentitiesConsumer.CONSUMER_GROUP))
                .post("/admin/phone_service/consumer_groups/replay").then().statusCode(200)
                .body("replays.consumer_group", equalTo(List.of(UserIdentitiesConsumer.CONSUMER_GROUP)));

        createPhone(workspace, live);
        post(workspace, "/phones/simulate/create_sandbox_phone", Map.of("user_identity_id", deleted)).statusCode(404)
                .body("error.type", equalTo("user_identity_not_found"));
    }

    private static boolean deactivationOf(ConsumerRecord<String, Object> record, String deviceId) {
        return record.value() instanceof PhoneDeactivated d && d.getDeviceId().equals(deviceId);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return rawHeader(record.headers().lastHeader(name));
    }

    private static String rawHeader(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
