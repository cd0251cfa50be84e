package com.lockstep.identity;

import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.acs_user.AcsUserUpdated;
import com.lockstep.events.user_identity.UserIdentityAcsUserAdded;
import com.lockstep.events.user_identity.UserIdentityAcsUserRemoved;
import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.events.user_identity.UserIdentityDeviceAccessGranted;
import com.lockstep.events.user_identity.UserIdentityDeviceAccessRevoked;
import com.lockstep.events.user_identity.UserIdentityUpdated;
import com.lockstep.identity.events.incoming.AcsUsersConsumer;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import com.lockstep.testkit.TestWorkspaces;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.lockstep.identity.IdentityTestSupport.EVENTS;
import static com.lockstep.identity.IdentityTestSupport.acsSystemAdded;
import static com.lockstep.identity.IdentityTestSupport.acsUserCreated;
import static com.lockstep.identity.IdentityTestSupport.addAcsUserOnceKnown;
import static com.lockstep.identity.IdentityTestSupport.as;
import static com.lockstep.identity.IdentityTestSupport.createIdentity;
import static com.lockstep.identity.IdentityTestSupport.deviceState;
import static com.lockstep.identity.IdentityTestSupport.grantOnceDeviceIsKnown;
import static com.lockstep.identity.IdentityTestSupport.lock;
import static com.lockstep.identity.IdentityTestSupport.post;
import static com.lockstep.identity.IdentityTestSupport.uuid;
import static com.lockstep.identity.IdentityTestSupport.workspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What identity-service publishes on lockstep.user_identity.events, and what it does with poison. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "identity_service"))
class UserIdentityEventsTest {

    @Test
    void anIdentitysLifeIsPublishedInOrderKeyedByItsIdOnceForEachChange() {
        TestWorkspaces.Workspace workspace = workspace();
        Instant before = Instant.now();
        String identity = createIdentity(workspace, Map.of("user_identity_key", "life", "email_address", "life@example.com",
                "phone_number", "+15555550666", "full_name", "Lee Life"));
        post(workspace, "/user_identities/update", Map.of("user_identity_id", identity, "full_name", "Lee Lifelong")).statusCode(200);
        post(workspace, "/user_identities/update", Map.of("user_identity_id", identity, "full_name", "Lee Lifelong")).statusCode(200);
        String system = uuid();
        String acsUser = uuid();
        acsUserCreated(workspace, acsUser, system, null, "Lee Lifelong", null, null);
        addAcsUserOnceKnown(workspace, identity, acsUser);
        addAcsUserOnceKnown(workspace, identity, acsUser);
        post(workspace, "/user_identities/remove_acs_user", Map.of("user_identity_id", identity, "acs_user_id", acsUser)).statusCode(200);
        String device = uuid();
        deviceState(lock(workspace, device, "Gate"));
        grantOnceDeviceIsKnown(workspace, identity, device);
        grantOnceDeviceIsKnown(workspace, identity, device);
        post(workspace, "/user_identities/revoke_access_to_device", Map.of("user_identity_id", identity, "device_id", device)).statusCode(200);
        post(workspace, "/user_identities/revoke_access_to_device", Map.of("user_identity_id", identity, "device_id", device)).statusCode(200);
        as(workspace).queryParam("user_identity_id", identity).delete("/user_identities/delete").then().statusCode(200);

        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.USER_IDENTITY_EVENTS,
                read -> read.stream().anyMatch(r -> r.value() instanceof UserIdentityDeleted d && d.getUserIdentityId().equals(identity)),
                Duration.ofSeconds(10));
        List<ConsumerRecord<String, Object>> ofIdentity = records.stream().filter(r -> identity.equals(r.key())).toList();
        assertThat(ofIdentity).extracting(r -> (Object) r.value().getClass()).containsExactly(
                UserIdentityCreated.class, UserIdentityUpdated.class, UserIdentityAcsUserAdded.class,
                UserIdentityAcsUserRemoved.class, UserIdentityDeviceAccessGranted.class,
                UserIdentityDeviceAccessRevoked.class, UserIdentityUpdated.class, UserIdentityDeleted.class);
        assertThat(ofIdentity).extracting(r -> header(r, "event_type")).containsExactly(
                "user_identity.created", "user_identity.updated", "user_identity.acs_user_added",
                "user_identity.acs_user_removed", "user_identity.device_access_granted",
                "user_identity.device_access_revoked", "user_identity.updated", "user_identity.deleted");
        for (ConsumerRecord<String, Object> record : ofIdentity) {
            GenericRecord event = (GenericRecord) record.value();
            assertThat(event.get("event_type").toString()).isEqualTo(header(record, "event_type"));
            assertThat(event.get("event_id").toString()).isEqualTo(header(record, "event_id"));
            assertThat(event.get("workspace_id").toString()).isEqualTo(workspace.workspaceId().toString());
            assertThat(event.get("user_identity_id").toString()).isEqualTo(identity);
            assertThat((Instant) event.get("occurred_at")).isAfterOrEqualTo(before.minusSeconds(1));
        }

        UserIdentityCreated created = (UserIdentityCreated) ofIdentity.get(0).value();
        assertThat(created.getUserIdentityKey()).isEqualTo("life");
        assertThat(created.getEmailAddress()).isEqualTo("life@example.com");
        assertThat(created.getPhoneNumber()).isEqualTo("+15555550666");
        assertThat(created.getFullName()).isEqualTo("Lee Life");
        assertThat(created.getAcsSystemIds()).isEmpty();
        UserIdentityUpdated updated = (UserIdentityUpdated) ofIdentity.get(1).value();
        assertThat(updated.getFullName()).isEqualTo("Lee Lifelong");
        assertThat(updated.getUserIdentityKey()).isEqualTo("life");
        assertThat(updated.getDeletionPending()).isFalse();
        // The deletion is announced before it happens, so that a credential created meanwhile is withdrawn.
        assertThat(((UserIdentityUpdated) ofIdentity.get(6).value()).getDeletionPending()).isTrue();
        UserIdentityAcsUserAdded added = (UserIdentityAcsUserAdded) ofIdentity.get(2).value();
        assertThat(added.getAcsUserId()).isEqualTo(acsUser);
        assertThat(added.getAcsSystemId()).isEqualTo(system);
        assertThat(((UserIdentityDeviceAccessGranted) ofIdentity.get(4).value()).getDeviceId()).isEqualTo(device);
    }

    @Test
    void createAsksForAnAcsUserInEverySystemWithoutAMatch() {
        TestWorkspaces.Workspace workspace = workspace();
        String system = uuid();
        acsSystemAdded(workspace, system, "Needs a user");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                post(workspace, "/user_identities/create", Map.of("acs_system_ids", List.of(system), "user_identity_key", "asks"))
                        .extract().statusCode() == 200);
        String identity = post(workspace, "/user_identities/get", Map.of("user_identity_key", "asks")).statusCode(200)
                .extract().path("user_identity.user_identity_id");
        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.USER_IDENTITY_EVENTS,
                read -> read.stream().anyMatch(r -> identity.equals(r.key())), Duration.ofSeconds(10));
        UserIdentityCreated created = (UserIdentityCreated) records.stream().filter(r -> identity.equals(r.key()))
                .findFirst().orElseThrow().value();
        assertThat(created.getAcsSystemIds()).containsExactly(system);
    }

    @Test
    void aPoisonAcsUserEventIsDeadLetteredAndTheProjectionGoesOn() {
        TestWorkspaces.Workspace workspace = workspace();
        String poisonKey = "poison-" + uuid();
        EVENTS.publish(Topics.ACS_USER_EVENTS, poisonKey, AcsUserCreated.newBuilder()
                .setEventId(uuid()).setEventType("acs_user.created")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsUserId("not-a-uuid").setAcsSystemId(uuid()).setConnectedAccountId(uuid())
                .setDisplayName("Broken").build());
        EVENTS.publishRaw(Topics.ACS_USER_EVENTS, poisonKey.getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8));
        // An update of an ACS user whose acs_user.created never came has nothing to update.
        EVENTS.publish(Topics.ACS_USER_EVENTS, poisonKey, AcsUserUpdated.newBuilder()
                .setEventId(uuid()).setEventType("acs_user.updated")
                .setWorkspaceId(workspace.workspaceId().toString())
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now())
                .setAcsUserId(uuid()).setAcsSystemId(uuid()).setDisplayName("Never created").setIsSuspended(true).build());

        var deadLetters = EVENTS.readRawUntil(Topics.deadLetterTopic(Topics.ACS_USER_EVENTS), read -> read.stream()
                .filter(r -> r.key() != null && poisonKey.equals(new String(r.key(), StandardCharsets.UTF_8))).count() >= 3,
                Duration.ofSeconds(10));
        var ours = deadLetters.stream()
                .filter(r -> r.key() != null && poisonKey.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
        assertThat(ours).extracting(r -> header(r, Inbox.DLQ_REASON))
                .anyMatch(reason -> reason.contains("acs_user_id is not a UUID"))
                .anyMatch(reason -> reason.startsWith("undeserialisable"))
                .anyMatch(reason -> reason.contains("no acs_user.created applied"));
        assertThat(ours).extracting(r -> header(r, Inbox.DLQ_CONSUMER)).containsOnly(AcsUsersConsumer.CONSUMER_GROUP);

        String identity = createIdentity(workspace);
        String acsUser = uuid();
        acsUserCreated(workspace, acsUser, uuid(), null, "After the poison", null, null);
        addAcsUserOnceKnown(workspace, identity, acsUser);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
