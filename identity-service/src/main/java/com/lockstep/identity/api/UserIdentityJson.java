package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.LinkedAcsUser;
import com.lockstep.identity.domain.UserIdentity;
import com.lockstep.kit.api.SeamJson;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Seam's {@code user_identity} object. */
final class UserIdentityJson {

    private UserIdentityJson() {
    }

    /** {@code links}: the identity's active ACS user links, oldest first. */
    static ObjectNode of(UserIdentity identity, List<LinkedAcsUser> links) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("user_identity_id", identity.userIdentityId().toString());
        json.put("workspace_id", identity.workspaceId().toString());
        json.put("user_identity_key", identity.userIdentityKey());
        json.put("email_address", identity.emailAddress());
        json.put("phone_number", identity.phoneNumber());
        json.put("full_name", identity.fullName());
        json.put("display_name", identity.displayName());
        json.put("created_at", SeamJson.timestamp(identity.createdAt()));
        ArrayNode acsUserIds = json.putArray("acs_user_ids");
        links.forEach(link -> acsUserIds.add(link.acsUserId().toString()));
        json.putArray("errors");
        ArrayNode warnings = json.putArray("warnings");
        List<LinkedAcsUser> mismatched = links.stream().filter(link -> link.profileDiffersFrom(identity)).toList();
        if (!mismatched.isEmpty()) {
            Instant since = mismatched.stream().map(LinkedAcsUser::linkedAt).max(Comparator.naturalOrder()).orElseThrow();
            warnings.addObject()
                    .put("warning_code", "acs_user_profile_does_not_match_user_identity")
                    .put("message", "The name, email address or phone number of ACS user "
                            + String.join(", ", mismatched.stream().map(link -> link.acsUserId().toString()).toList())
                            + " differs from the user identity's")
                    .put("created_at", SeamJson.timestamp(since));
        }
        return json;
    }
}
