package com.lockstep.identity.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/** A Seam workspace: the boundary of everything a key can see. */
public record Workspace(UUID workspaceId, String name, String companyName, boolean sandbox, boolean suspended,
                        boolean publishableKeyAuthEnabled, ObjectNode connectWebviewCustomization, Instant createdAt) {
}
