package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.AcsUser;
import com.lockstep.identity.domain.UserIdentity;
import com.lockstep.kit.api.SeamJson;

/**
 * Seam's {@code acs_user} object, as identity-service knows an ACS user linked to one of its
 * identities. The fields it shows are rendered as credential-service's {@code /acs/users/get} renders
 * them, so that both agree on each of them.
 */
final class AcsUserJson {

    private AcsUserJson() {
    }

    static ObjectNode of(AcsUser user, UserIdentity identity) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("acs_user_id", user.acsUserId().toString());
        json.put("acs_system_id", user.acsSystemId().toString());
        json.put("workspace_id", user.workspaceId().toString());
        json.put("connected_account_id", user.connectedAccountId().toString());
        json.put("display_name", user.displayName());
        if (user.fullName() != null) {
            json.put("full_name", user.fullName());
        }
        if (user.emailAddress() != null) {
            json.put("email_address", user.emailAddress());
        }
        if (user.phoneNumber() != null) {
            json.put("phone_number", user.phoneNumber());
        }
        if (user.accessScheduleStartsAt() != null) {
            ObjectNode schedule = json.putObject("access_schedule");
            schedule.put("starts_at", SeamJson.timestamp(user.accessScheduleStartsAt()));
            schedule.put("ends_at", SeamJson.timestamp(user.accessScheduleEndsAt()));
        }
        json.put("user_identity_id", identity.userIdentityId().toString());
        json.put("user_identity_full_name", identity.fullName());
        json.put("user_identity_email_address", identity.emailAddress());
        json.put("user_identity_phone_number", identity.phoneNumber());
        json.put("is_managed", true);
        json.put("is_suspended", user.isSuspended());
        // As credential-service says: the sandbox ACS takes each change at once, so the user is in sync from its creation.
        json.put("last_successful_sync_at", SeamJson.timestamp(user.createdAt()));
        json.putArray("errors");
        json.putArray("warnings");
        json.put("created_at", SeamJson.timestamp(user.createdAt()));
        return json;
    }
}
