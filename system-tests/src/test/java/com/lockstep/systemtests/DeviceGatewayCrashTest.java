package com.lockstep.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.local.LocalPlatform;
import com.lockstep.local.Services;
import com.lockstep.schemas.Topics;
import com.lockstep.testkit.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * device-gateway killed (SIGKILL) between a credential's {@code acs_credential.issued} and its
 * {@code acs_credential.deleted}: after a restart the sandbox ACS drops the credential, and was told
 * to program it once and to remove it once, although the issued event is delivered again.
 */
class DeviceGatewayCrashTest {

    /** The killed consumer stays in its group until its session times out (45 s), then the restarted one takes over. */
    private static final Duration CONSUMER_TAKEOVER = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startPlatform() throws IOException {
        temporary = TemporaryPlatform.start("lockstep-device-gateway-crash-", Services.IDENTITY, Services.DEVICE_GATEWAY);
        platform = temporary.platform();
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (temporary != null) {
            temporary.close();
        }
    }

    @Test
    void aCrashBetweenIssueAndDeleteLosesNothingAndProgramsNothingTwice() throws Exception {
        String workspaceId = platform.sandboxWorkspaceId();
        String acsSystemId = platform.admin().provisionSandbox(workspaceId).at("/acs_systems/0/acs_system_id").asText();
        TestEvents events = new TestEvents(platform.kafkaBootstrapServers(), platform.registryUrl());
        String credentialId = UUID.randomUUID().toString();
        AcsCredentialIssued issued = AcsCredentialIssued.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("acs_credential.issued")
                .setWorkspaceId(workspaceId)
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setAcsCredentialId(credentialId)
                .setAcsSystemId(acsSystemId)
                .setAccessMethod("mobile_key")
                .setDeviceId(UUID.randomUUID().toString())
                .build();

        events.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, issued);
        JsonNode held = awaitCredential(workspaceId, acsSystemId, credentialId, c -> c.path("is_held").asBoolean(), Duration.ofSeconds(30));
        assertEquals(1, held.get("times_programmed").asInt());

        platform.kill(Services.DEVICE_GATEWAY);
        // While it is down: the issued event again (as Kafka redelivers what a crashed consumer had not
        // committed), then the deletion.
        events.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, issued);
        events.publish(Topics.ACS_CREDENTIAL_EVENTS, credentialId, AcsCredentialDeleted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventType("acs_credential.deleted")
                .setWorkspaceId(workspaceId)
                .setOccurredAt(Instant.now())
                .setCreatedAt(Instant.now())
                .setAcsCredentialId(credentialId)
                .setAcsSystemId(acsSystemId)
                .setDeviceId(issued.getDeviceId())
                .build());
        platform.restart(Services.DEVICE_GATEWAY);

        JsonNode dropped = awaitCredential(workspaceId, acsSystemId, credentialId, c -> !c.path("is_held").asBoolean(), CONSUMER_TAKEOVER);
        assertFalse(dropped.get("is_held").asBoolean());
        assertEquals(1, dropped.get("times_programmed").asInt(), "programmed once although delivered twice");
        assertEquals(1, dropped.get("times_removed").asInt());
    }

    /** Polls the sandbox ACS (admin API, through the router) until the credential is there and {@code done}. */
    private JsonNode awaitCredential(String workspaceId, String acsSystemId, String credentialId, Predicate<JsonNode> done,
                                     Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = credential(workspaceId, acsSystemId, credentialId);
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        return fail("The sandbox ACS did not reach the expected state within " + timeout.toSeconds() + " s; last seen: " + last);
    }

    private JsonNode credential(String workspaceId, String acsSystemId, String credentialId) throws Exception {
        String body = JSON.createObjectNode().put("workspace_id", workspaceId).put("acs_system_id", acsSystemId).toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/admin/sandbox/list_acs_credentials"))
                .header("Authorization", "Bearer " + platform.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return null;
        }
        for (JsonNode credential : JSON.readTree(response.body()).get("sandbox_acs_credentials")) {
            if (credential.get("acs_credential_id").asText().equals(credentialId)) {
                return credential;
            }
        }
        return null;
    }
}
