package com.lockstep.credential.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.credential.domain.AcsUser;
import com.lockstep.credential.domain.SeamExternalTypes;
import com.lockstep.kit.api.SeamJson;

/** Seam's {@code acs_user} object. Fields Seam types as non-nullable are left out when unknown. */
final class AcsUserJson {

    private AcsUserJson() {
    }

    static ObjectNode of(AcsUser user) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("acs_user_id", user.acsUserId().toString());
        json.put("acs_system_id", user.acsSystemId().toString());
        json.put("workspace_id", user.workspaceId().toString());
        json.put("connected_account_id", user.connectedAccountId().toString());
        json.put("created_at", SeamJson.timestamp(user.createdAt()));
        json.put("display_name", user.fullName());
        json.put("full_name", user.fullName());
        if (user.emailAddress() != null) {
            json.put("email_address", user.emailAddress());
            json.put("email", user.emailAddress());
        }
        if (user.phoneNumber() != null) {
            json.put("phone_number", user.phoneNumber());
        }
        String externalType = SeamExternalTypes.userType(user.systemExternalType());
        if (externalType != null) {
            json.put("external_type", externalType);
            json.put("external_type_display_name", SeamExternalTypes.userDisplayName(user.systemExternalType()));
        }
        if (user.accessScheduleStartsAt() != null) {
            ObjectNode schedule = json.putObject("access_schedule");
            schedule.put("starts_at", SeamJson.timestamp(user.accessScheduleStartsAt()));
            schedule.put("ends_at", SeamJson.timestamp(user.accessScheduleEndsAt()));
        }
        json.put("is_managed", true);
        json.put("is_suspended", user.suspended());
        // The sandbox ACS takes each change at once: the user is in sync from its creation.
        json.put("last_successful_sync_at", SeamJson.timestamp(user.createdAt()));
        json.putArray("pending_mutations");
        json.putArray("errors");
        json.putArray("warnings");
        if (user.userIdentityId() != null) {
            json.put("user_identity_id", user.userIdentityId().toString());
            AcsUser.IdentityContact identity = user.identity();
            json.put("user_identity_email_address", identity == null ? null : identity.emailAddress());
            json.put("user_identity_phone_number", identity == null ? null : identity.phoneNumber());
            json.put("user_identity_full_name", identity == null ? null : identity.fullName());
        }
        return json;
    }
}
