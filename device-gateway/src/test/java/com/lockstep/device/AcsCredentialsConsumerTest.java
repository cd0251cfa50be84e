package com.lockstep.device;

import com.lockstep.device.events.incoming.AcsCredentialsConsumer;
import com.lockstep.device.provider.sandbox.SandboxAcsCredential;
import com.lockstep.device.provider.sandbox.SandboxProvider;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.kit.events.TopicProvisioner;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.RealServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static com.lockstep.device.DeviceTestSupport.EVENTS;
import static com.lockstep.device.DeviceTestSupport.admin;
import static com.lockstep.device.DeviceTestSupport.sandbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * credential-service's {@code acs_credential.issued} and {@code .deleted} (published here, as it
 * will publish them) program and remove credentials on the sandbox ACS, once each however often
 * Kafka delivers them.
 */
@QuarkusTest
@WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "device_gateway"))
class AcsCredentialsConsumerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    SandboxProvider sandboxProvider;

    @Test
    void anIssuedCredentialIsHeldThenADeletedOneDropped() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String credentialId = UUID.randomUUID().toString();
        String phoneId = UUID.randomUUID().toString();
        String acsUserId = UUID.randomUUID().toString();

        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, issued(sandbox, credentialId, phoneId, acsUserId));
        SandboxAcsCredential held = awaitCredential(sandbox, credentialId, SandboxAcsCredential::held);
        assertThat(held.accessMethod()).isEqualTo("mobile_key");
        assertThat(held.deviceId()).hasToString(phoneId);
        assertThat(held.acsUserId()).hasToString(acsUserId);
        assertThat(held.timesProgrammed()).isEqualTo(1);

        // What the ACS holds, as the operator's endpoint reports it.
        admin().body(Map.of("workspace_id", sandbox.workspace().workspaceId().toString(), "acs_system_id", sandbox.acsSystemId()))
                .post("/admin/sandbox/list_acs_credentials").then().statusCode(200)
                .body("sandbox_acs_credentials", hasSize(1))
                .body("sandbox_acs_credentials[0].acs_credential_id", equalTo(credentialId))
                .body("sandbox_acs_credentials[0].is_held", equalTo(true))
                .body("sandbox_acs_credentials[0].device_id", equalTo(phoneId));

        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, deleted(sandbox, credentialId, phoneId));
        SandboxAcsCredential dropped = awaitCredential(sandbox, credentialId, credential -> !credential.held());
        assertThat(dropped.timesRemoved()).isEqualTo(1);
        assertThat(dropped.timesProgrammed()).isEqualTo(1);
    }

    /**
     * What a crash between the effect and the offset commit looks like to the consumer: the same
     * event (same event_id) delivered again. Each duplicate is followed, on the same partition, by
     * another credential's event; once that one is applied, the duplicate was read before it.
     */
    @Test
    void eventsDeliveredTwiceProgramAndRemoveOnce() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        String credentialId = UUID.randomUUID().toString();
        String phoneId = UUID.randomUUID().toString();
        AcsCredentialIssued issued = issued(sandbox, credentialId, phoneId, null);
        AcsCredentialDeleted deleted = deleted(sandbox, credentialId, phoneId);

        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, issued);
        awaitCredential(sandbox, credentialId, SandboxAcsCredential::held);
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, issued);
        String firstMarker = samePartitionAs(credentialId);
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, firstMarker, issued(sandbox, firstMarker, phoneId, null));
        awaitCredential(sandbox, firstMarker, SandboxAcsCredential::held);
        assertThat(credential(sandbox, credentialId).orElseThrow().timesProgrammed()).isEqualTo(1);

        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, deleted);
        awaitCredential(sandbox, credentialId, credential -> !credential.held());
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, deleted);
        String secondMarker = samePartitionAs(credentialId);
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, secondMarker, issued(sandbox, secondMarker, phoneId, null));
        awaitCredential(sandbox, secondMarker, SandboxAcsCredential::held);

        SandboxAcsCredential credential = credential(sandbox, credentialId).orElseThrow();
        assertThat(credential.held()).isFalse();
        assertThat(credential.timesProgrammed()).isEqualTo(1);
        assertThat(credential.timesRemoved()).isEqualTo(1);
    }

    @Test
    void credentialsForAnAcsSystemTheWorkspaceDoesNotHaveAreDeadLettered() {
        DeviceTestSupport.Sandbox sandbox = sandbox();
        DeviceTestSupport.Sandbox other = sandbox();
        String unknownSystem = UUID.randomUUID().toString();
        String notTheirs = UUID.randomUUID().toString();

        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, unknownSystem, AcsCredentialIssued.newBuilder(issued(sandbox, unknownSystem, null, null))
                .setAcsSystemId(UUID.randomUUID().toString()).build());
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, notTheirs, AcsCredentialIssued.newBuilder(issued(sandbox, notTheirs, null, null))
                .setAcsSystemId(other.acsSystemId()).build());

        List<ConsumerRecord<byte[], byte[]>> letters = EVENTS.readRawUntil(Topics.deadLetterTopic(Topics.ACS_CREDENTIAL_EVENTS),
                read -> read.stream().filter(r -> isKey(r, unknownSystem) || isKey(r, notTheirs)).count() >= 2, TIMEOUT);
        for (String key : List.of(unknownSystem, notTheirs)) {
            ConsumerRecord<byte[], byte[]> letter = letters.stream().filter(r -> isKey(r, key)).findFirst().orElseThrow();
            assertThat(header(letter, Inbox.DLQ_REASON)).contains("no ACS system");
            assertThat(header(letter, Inbox.DLQ_CONSUMER)).isEqualTo(AcsCredentialsConsumer.CONSUMER_GROUP);
        }
        assertThat(credential(other, notTheirs)).isEmpty();

        String fine = UUID.randomUUID().toString();
        EVENTS.publish(Topics.ACS_CREDENTIAL_EVENTS, fine, issued(sandbox, fine, null, null));
        awaitCredential(sandbox, fine, SandboxAcsCredential::held);
    }

    private static AcsCredentialIssued issued(DeviceTestSupport.Sandbox sandbox, String credentialId, String phoneId, String acsUserId) {
        return AcsCredentialIssued.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("acs_credential.issued")
                .setWorkspaceId(sandbox.workspace().workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setAcsCredentialId(credentialId)
                .setAcsUserId(acsUserId)
                .setAcsSystemId(sandbox.acsSystemId())
                .setAccessMethod("mobile_key")
                .setDeviceId(phoneId)
                .build();
    }

    private static AcsCredentialDeleted deleted(DeviceTestSupport.Sandbox sandbox, String credentialId, String phoneId) {
        return AcsCredentialDeleted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("acs_credential.deleted")
                .setWorkspaceId(sandbox.workspace().workspaceId().toString())
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setAcsCredentialId(credentialId)
                .setAcsSystemId(sandbox.acsSystemId())
                .setDeviceId(phoneId)
                .build();
    }

    private SandboxAcsCredential awaitCredential(DeviceTestSupport.Sandbox sandbox, String credentialId,
                                                 Predicate<SandboxAcsCredential> condition) {
        // Polled on the test's thread: its request context gives the sandbox's repository a session.
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).pollInSameThread()
                .until(() -> credential(sandbox, credentialId), found -> found.isPresent() && condition.test(found.get()))
                .orElseThrow();
    }

    private Optional<SandboxAcsCredential> credential(DeviceTestSupport.Sandbox sandbox, String credentialId) {
        try {
            return sandboxProvider.credentialsOn(sandbox.workspace().workspaceId(), UUID.fromString(sandbox.acsSystemId())).stream()
                    .filter(credential -> credential.acsCredentialId().toString().equals(credentialId)).findFirst();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another credential id that Kafka's default partitioner puts on the same partition. */
    private static String samePartitionAs(String key) {
        int partition = partition(key);
        while (true) {
            String candidate = UUID.randomUUID().toString();
            if (partition(candidate) == partition) {
                return candidate;
            }
        }
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % TopicProvisioner.PARTITIONS;
    }

    private static boolean isKey(ConsumerRecord<byte[], byte[]> record, String key) {
        return record.key() != null && new String(record.key(), StandardCharsets.UTF_8).equals(key);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
