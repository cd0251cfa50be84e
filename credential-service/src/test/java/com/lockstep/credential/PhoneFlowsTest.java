package com.lockstep.credential;

import com.lockstep.credential.CredentialTestSupport.Sandbox;
import com.lockstep.credential.events.incoming.PhonesConsumer;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.events.acs_user.AcsUserUpdated;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.user_identity.UserIdentityAcsUserAdded;
import com.lockstep.events.user_identity.UserIdentityAcsUserRemoved;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.lockstep.credential.CredentialTestSupport.EVENTS;
import static com.lockstep.credential.CredentialTestSupport.SOON;
import static com.lockstep.credential.CredentialTestSupport.createAcsUser;
import static com.lockstep.credential.CredentialTestSupport.deactivatePhone;
import static com.lockstep.credential.CredentialTestSupport.deactivation;
import static com.lockstep.credential.CredentialTestSupport.post;
import static com.lockstep.credential.CredentialTestSupport.registerPhone;
import static com.lockstep.credential.CredentialTestSupport.sandbox;
import static com.lockstep.credential.CredentialTestSupport.userIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The new-phone and lost-phone flows, driven by phone events as phone-service publishes them. */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "credential_service"))
class PhoneFlowsTest {

    @Test
    void eachPhoneGetsAChildAndALostPhoneLosesExactlyItsOwn() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String firstPhone = registerPhone(sandbox, identity);
        String secondPhone = registerPhone(sandbox, identity);
        String parent = createMultiPhoneSyncCredential(sandbox, acsUser);

        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).size() == 2);
        Map<String, String> childByPhone = childrenOf(sandbox, parent);
        assertThat(childByPhone.keySet()).containsExactlyInAnyOrder(firstPhone, secondPhone);
        JsonPath child = credential(sandbox, childByPhone.get(firstPhone));
        assertThat(child.getString("acs_credential.parent_acs_credential_id")).isEqualTo(parent);
        assertThat(child.getString("acs_credential.access_method")).isEqualTo("mobile_key");
        assertThat(child.getString("acs_credential.acs_user_id")).isEqualTo(acsUser);
        assertThat(child.getString("acs_credential.user_identity_id")).isEqualTo(identity);
        assertThat(child.getBoolean("acs_credential.is_issued")).isTrue();
        assertThat(child.getBoolean("acs_credential.is_multi_phone_sync_credential")).isFalse();

        Instant lost = Instant.now();
        deactivatePhone(sandbox, firstPhone, identity);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> !childrenOf(sandbox, parent).containsKey(firstPhone));
        assertThat(Duration.between(lost, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(childrenOf(sandbox, parent)).containsOnlyKeys(secondPhone);
        post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", parent)).statusCode(200);

        String revoked = childByPhone.get(firstPhone);
        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.ACS_CREDENTIAL_EVENTS,
                read -> read.stream().anyMatch(r -> r.value() instanceof AcsCredentialDeleted d
                        && d.getAcsCredentialId().equals(revoked)), SOON);
        List<AcsCredentialDeleted> deletions = deletedOf(records, Set.copyOf(childByPhone.values()));
        assertThat(deletions).hasSize(1);
        AcsCredentialDeleted deleted = deletions.get(0);
        assertThat(deleted.getAcsCredentialId()).isEqualTo(revoked);
        assertThat(deleted.getDeviceId()).isEqualTo(firstPhone);
        assertThat(deleted.getParentAcsCredentialId()).isEqualTo(parent);
        assertThat(deleted.getUserIdentityId()).isEqualTo(identity);
        assertThat(deleted.getWorkspaceId()).isEqualTo(sandbox.workspace().workspaceId().toString());

        AcsCredentialIssued issued = records.stream().map(ConsumerRecord::value)
                .filter(v -> v instanceof AcsCredentialIssued i && i.getAcsCredentialId().equals(revoked))
                .map(AcsCredentialIssued.class::cast).findFirst().orElseThrow();
        assertThat(issued.getDeviceId()).isEqualTo(firstPhone);
        assertThat(issued.getParentAcsCredentialId()).isEqualTo(parent);
        assertThat(issued.getAccessMethod()).isEqualTo("mobile_key");
    }

    @Test
    void aNewPhoneGetsEveryMultiPhoneSyncCredentialAndANewCredentialReachesEveryPhoneAtOnce() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String first = createMultiPhoneSyncCredential(sandbox, acsUser);
        String phone = registerPhone(sandbox, identity);
        await().atMost(SOON).until(() -> childrenOf(sandbox, first).containsKey(phone));

        String second = createMultiPhoneSyncCredential(sandbox, acsUser);
        assertThat(childrenOf(sandbox, second)).containsOnlyKeys(phone);

        String newPhone = registerPhone(sandbox, identity);
        await().atMost(SOON).until(() -> childrenOf(sandbox, first).containsKey(newPhone)
                && childrenOf(sandbox, second).containsKey(newPhone));
        assertThat(childrenOf(sandbox, first)).containsOnlyKeys(phone, newPhone);
    }

    @Test
    void redeliveredAndRepeatedPhoneEventsChangeNothing() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String kept = registerPhone(sandbox, identity);
        String lost = registerPhone(sandbox, identity);
        String parent = createMultiPhoneSyncCredential(sandbox, acsUser);
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).size() == 2);
        deactivatePhone(sandbox, lost, identity);
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).size() == 1);
        Map<String, String> before = childrenOf(sandbox, parent);

        // The two phones' events again: as they are (a redelivery or a replay), and as new events (a duplicate).
        List<ConsumerRecord<String, Object>> phoneEvents = EVENTS.readUntil(Topics.PHONE_EVENTS,
                read -> ofPhones(read, kept, lost).size() == 3, SOON);
        phoneEvents = ofPhones(phoneEvents, kept, lost);
        assertThat(phoneEvents).hasSize(3);
        for (ConsumerRecord<String, Object> record : phoneEvents) {
            EVENTS.publish(Topics.PHONE_EVENTS, record.key(), record.value());
        }
        deactivatePhone(sandbox, lost, identity);
        registerPhoneAgain(sandbox, lost, identity);
        EVENTS.awaitConsumed(PhonesConsumer.CONSUMER_GROUP, Topics.PHONE_EVENTS, SOON);

        assertThat(childrenOf(sandbox, parent)).isEqualTo(before);
        List<ConsumerRecord<String, Object>> credentialEvents = EVENTS.readUntil(Topics.ACS_CREDENTIAL_EVENTS,
                read -> read.stream().anyMatch(r -> r.value() instanceof AcsCredentialDeleted d && lost.equals(d.getDeviceId())), SOON);
        long ofLostPhone = credentialEvents.stream().filter(r -> r.value() instanceof AcsCredentialDeleted d && lost.equals(d.getDeviceId())
                || r.value() instanceof AcsCredentialIssued i && lost.equals(i.getDeviceId())).count();
        assertThat(ofLostPhone).as("one issued and one deleted, for the lost phone's one child").isEqualTo(2);
    }

    @Test
    void poisonOnThePhoneTopicIsDeadLetteredAndTheFlowGoesOn() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String parent = createMultiPhoneSyncCredential(sandbox, acsUser);

        byte[] garbageKey = ("garbage-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        EVENTS.publishRaw(Topics.PHONE_EVENTS, garbageKey, new byte[] {0, 1, 2, 3, 42, 42});
        String unknownPhone = UUID.randomUUID().toString();
        PhoneDeactivated unknown = deactivation(sandbox, unknownPhone, identity);
        EVENTS.publish(Topics.PHONE_EVENTS, unknownPhone, unknown);
        String phone = registerPhone(sandbox, identity);

        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).containsKey(phone));
        List<ConsumerRecord<byte[], byte[]>> deadLetters = EVENTS.readRawUntil(Topics.deadLetterTopic(Topics.PHONE_EVENTS),
                read -> reasonFor(read, garbageKey) != null && reasonFor(read, unknownPhone.getBytes(StandardCharsets.UTF_8)) != null,
                SOON);
        assertThat(reasonFor(deadLetters, garbageKey)).startsWith("undeserialisable");
        assertThat(reasonFor(deadLetters, unknownPhone.getBytes(StandardCharsets.UTF_8)))
                .contains("unknown phone " + unknownPhone);
        ConsumerRecord<byte[], byte[]> unknownLetter = deadLetters.stream()
                .filter(r -> java.util.Arrays.equals(r.key(), unknownPhone.getBytes(StandardCharsets.UTF_8))).findFirst().orElseThrow();
        assertThat(header(unknownLetter, Inbox.DLQ_CONSUMER)).isEqualTo("credential-service.phone-credentials");
        assertThat(header(unknownLetter, Inbox.DLQ_TOPIC)).isEqualTo(Topics.PHONE_EVENTS);
    }

    @Test
    void linkingAnAcsUserReachesTheIdentitysPhonesAndUnlinkingRevokesThem() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of());
        String parent = createMultiPhoneSyncCredential(sandbox, acsUser);
        String phone = registerPhone(sandbox, identity);
        String otherSystem = CredentialTestSupport.acsSystem(sandbox.workspace(), "salto_space_system", false);
        String marker = createMultiPhoneSyncCredential(sandbox, createAcsUser(sandbox,
                Map.of("user_identity_id", identity, "acs_system_id", otherSystem)));
        await().atMost(SOON).until(() -> childrenOf(sandbox, marker).containsKey(phone));
        assertThat(childrenOf(sandbox, parent)).isEmpty();

        String workspace = sandbox.workspace().workspaceId().toString();
        EVENTS.publish(Topics.USER_IDENTITY_EVENTS, identity, UserIdentityAcsUserAdded.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setEventType("user_identity.acs_user_added").setWorkspaceId(workspace)
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now()).setUserIdentityId(identity).setAcsUserId(acsUser)
                .setAcsSystemId(sandbox.acsSystemId()).build());
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).containsKey(phone));
        assertThat(credential(sandbox, parent).getString("acs_credential.user_identity_id")).isEqualTo(identity);

        EVENTS.publish(Topics.USER_IDENTITY_EVENTS, identity, UserIdentityAcsUserRemoved.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setEventType("user_identity.acs_user_removed").setWorkspaceId(workspace)
                .setOccurredAt(Instant.now()).setCreatedAt(Instant.now()).setUserIdentityId(identity).setAcsUserId(acsUser)
                .setAcsSystemId(sandbox.acsSystemId()).build());
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).isEmpty());
        assertThat(credential(sandbox, parent).getString("acs_credential.user_identity_id")).isNull();
        assertThat(childrenOf(sandbox, marker)).containsOnlyKeys(phone);

        // Each link change is published as acs_user.updated with the ACS user's new user_identity_id.
        List<Object> acsUserEvents = EVENTS.readUntil(Topics.ACS_USER_EVENTS,
                        read -> read.stream().filter(r -> acsUser.equals(r.key())).count() >= 3, SOON)
                .stream().filter(r -> acsUser.equals(r.key())).map(ConsumerRecord::value).toList();
        assertThat(acsUserEvents).map(e -> e.getClass().getSimpleName())
                .containsExactly("AcsUserCreated", "AcsUserUpdated", "AcsUserUpdated");
        assertThat(((AcsUserUpdated) acsUserEvents.get(1)).getUserIdentityId()).isEqualTo(identity);
        assertThat(((AcsUserUpdated) acsUserEvents.get(2)).getUserIdentityId()).isNull();
        assertThat(((AcsUserUpdated) acsUserEvents.get(2)).getFullName()).isEqualTo("Jane Doe");
    }

    @Test
    void deletingAParentRevokesItsChildrenAndDeletingTheAcsUserRevokesEverything() {
        Sandbox sandbox = sandbox();
        String identity = userIdentity(sandbox);
        String acsUser = createAcsUser(sandbox, Map.of("user_identity_id", identity));
        String phone = registerPhone(sandbox, identity);
        String parent = createMultiPhoneSyncCredential(sandbox, acsUser);
        String other = createMultiPhoneSyncCredential(sandbox, acsUser);
        await().atMost(SOON).until(() -> childrenOf(sandbox, parent).containsKey(phone) && childrenOf(sandbox, other).containsKey(phone));
        String childOfOther = childrenOf(sandbox, other).get(phone);

        String childOfParent = childrenOf(sandbox, parent).get(phone);
        post(sandbox.workspace(), "/acs/credentials/delete", Map.of("acs_credential_id", parent)).statusCode(200);
        post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", childOfParent)).statusCode(404);
        assertThat(childrenOf(sandbox, other)).containsOnlyKeys(phone);
        post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", parent)).statusCode(404);

        post(sandbox.workspace(), "/acs/users/delete", Map.of("acs_user_id", acsUser)).statusCode(200);
        post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", other)).statusCode(404);
        post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", childOfOther)).statusCode(404);
        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.ACS_CREDENTIAL_EVENTS,
                read -> read.stream().anyMatch(r -> r.value() instanceof AcsCredentialDeleted d
                        && d.getAcsCredentialId().equals(childOfOther)), SOON);
        assertThat(deletedOf(records, Set.of(parent, childOfParent, other, childOfOther))).hasSize(4);
    }

    static String createMultiPhoneSyncCredential(Sandbox sandbox, String acsUserId) {
        return post(sandbox.workspace(), "/acs/credentials/create", Map.of("acs_user_id", acsUserId,
                "access_method", "mobile_key", "is_multi_phone_sync_credential", true))
                .statusCode(200).extract().path("acs_credential.acs_credential_id");
    }

    /** The live children of a multi-phone-sync credential, by the phone each was issued to. */
    static Map<String, String> childrenOf(Sandbox sandbox, String parent) {
        String acsUser = credential(sandbox, parent).getString("acs_credential.acs_user_id");
        List<Map<String, Object>> credentials = post(sandbox.workspace(), "/acs/credentials/list",
                Map.of("acs_user_id", acsUser)).statusCode(200).extract().path("acs_credentials");
        return credentials.stream().filter(c -> parent.equals(c.get("parent_acs_credential_id")))
                .collect(Collectors.toMap(c -> phoneOf(sandbox, (String) c.get("acs_credential_id")),
                        c -> (String) c.get("acs_credential_id"), (a, b) -> a, java.util.HashMap::new));
    }

    private static String phoneOf(Sandbox sandbox, String childId) {
        List<ConsumerRecord<String, Object>> records = EVENTS.readUntil(Topics.ACS_CREDENTIAL_EVENTS,
                read -> read.stream().anyMatch(r -> r.value() instanceof AcsCredentialIssued i && i.getAcsCredentialId().equals(childId)),
                SOON);
        return records.stream().map(ConsumerRecord::value)
                .filter(v -> v instanceof AcsCredentialIssued i && i.getAcsCredentialId().equals(childId))
                .map(v -> ((AcsCredentialIssued) v).getDeviceId()).findFirst().orElseThrow();
    }

    static JsonPath credential(Sandbox sandbox, String id) {
        return post(sandbox.workspace(), "/acs/credentials/get", Map.of("acs_credential_id", id)).statusCode(200).extract().jsonPath();
    }

    private static List<AcsCredentialDeleted> deletedOf(List<ConsumerRecord<String, Object>> records, Set<String> ids) {
        return records.stream().map(ConsumerRecord::value)
                .filter(v -> v instanceof AcsCredentialDeleted d && ids.contains(d.getAcsCredentialId()))
                .map(AcsCredentialDeleted.class::cast).toList();
    }

    private static List<ConsumerRecord<String, Object>> ofPhones(List<ConsumerRecord<String, Object>> records, String... phones) {
        Set<String> keys = Set.of(phones);
        return records.stream().filter(r -> keys.contains(r.key())).toList();
    }

    private static void registerPhoneAgain(Sandbox sandbox, String deviceId, String owner) {
        EVENTS.publish(Topics.PHONE_EVENTS, deviceId, com.lockstep.events.phone.PhoneRegistered.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setEventType("phone.registered")
                .setWorkspaceId(sandbox.workspace().workspaceId().toString()).setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now()).setDeviceId(deviceId).setOwnerUserIdentityId(owner).setDeviceType("ios_phone").build());
    }

    private static String reasonFor(List<ConsumerRecord<byte[], byte[]>> records, byte[] key) {
        return records.stream().filter(r -> java.util.Arrays.equals(r.key(), key)).findFirst()
                .map(r -> header(r, Inbox.DLQ_REASON)).orElse(null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
