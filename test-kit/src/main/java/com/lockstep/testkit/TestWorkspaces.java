package com.lockstep.testkit;

import com.lockstep.schemas.Topics;
import com.lockstep.state.api_key.ApiKeyState;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Gives a service under test a workspace and an API key the way identity-service does: a
 * record on the compacted API-key topic, keyed by the key's SHA-256 (a tombstone revokes it).
 */
public final class TestWorkspaces {

    private final TestEvents events;

    public TestWorkspaces(TestEvents events) {
        this.events = events;
    }

    public record Workspace(UUID workspaceId, UUID apiKeyId, String apiKey) {
    }

    public Workspace create() {
        Workspace workspace = new Workspace(UUID.randomUUID(), UUID.randomUUID(),
                "seam_test_" + UUID.randomUUID().toString().replace("-", ""));
        events.publish(Topics.API_KEY_STATE, sha256(workspace.apiKey()), ApiKeyState.newBuilder()
                .setApiKeyId(workspace.apiKeyId().toString())
                .setWorkspaceId(workspace.workspaceId().toString())
                .setCreatedAt(Instant.now())
                .build());
        return workspace;
    }

    public void revoke(Workspace workspace) {
        events.publish(Topics.API_KEY_STATE, sha256(workspace.apiKey()), null);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
