package com.lockstep.credential.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.credential.domain.AccessMethod;
import com.lockstep.credential.domain.AcsCredential;
import com.lockstep.credential.domain.SeamExternalTypes;
import com.lockstep.kit.api.SeamJson;

/** Seam's {@code acs_credential} object. Fields Seam types as non-nullable are left out when unknown. */
final class AcsCredentialJson {

    private AcsCredentialJson() {
    }

    static ObjectNode of(AcsCredential credential) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("acs_credential_id", credential.acsCredentialId().toString());
        if (credential.acsUserId() != null) {
            json.put("acs_user_id", credential.acsUserId().toString());
        }
        if (credential.userIdentityId() != null) {
            json.put("user_identity_id", credential.userIdentityId().toString());
        }
        json.put("acs_system_id", credential.acsSystemId().toString());
        json.put("connected_account_id", credential.connectedAccountId().toString());
        json.put("workspace_id", credential.workspaceId().toString());
        if (credential.parentAcsCredentialId() != null) {
            json.put("parent_acs_credential_id", credential.parentAcsCredentialId().toString());
        }
        json.put("display_name", displayName(credential));
        json.put("access_method", credential.accessMethod().name());
        json.put("code", credential.code());
        json.putNull("card_number");
        String externalType = SeamExternalTypes.credentialType(credential.systemExternalType());
        if (externalType != null) {
            json.put("external_type", externalType);
            json.put("external_type_display_name", SeamExternalTypes.credentialDisplayName(credential.systemExternalType()));
        }
        json.put("created_at", SeamJson.timestamp(credential.createdAt()));
        if (credential.startsAt() != null) {
            json.put("starts_at", SeamJson.timestamp(credential.startsAt()));
        }
        if (credential.endsAt() != null) {
            json.put("ends_at", SeamJson.timestamp(credential.endsAt()));
        }
        json.put("is_multi_phone_sync_credential", credential.multiPhoneSync());
        json.put("is_managed", true);
        json.put("is_one_time_use", false);
        json.put("is_issued", credential.issuedAt() != null);
        json.put("issued_at", credential.issuedAt() == null ? null : SeamJson.timestamp(credential.issuedAt()));
        // The sandbox ACS holds what was issued as soon as it is issued.
        json.put("is_latest_desired_state_synced_with_provider", credential.issuedAt() != null);
        json.put("latest_desired_state_synced_with_provider_at",
                credential.issuedAt() == null ? null : SeamJson.timestamp(credential.issuedAt()));
        if (!credential.allowedAcsEntranceIds().isEmpty()) {
            ArrayNode entrances = json.putArray("allowed_acs_entrance_ids");
            credential.allowedAcsEntranceIds().forEach(id -> entrances.add(id.toString()));
        }
        json.putArray("errors");
        json.putArray("warnings");
        json.setAll(credential.vendorMetadata());
        return json;
    }

    private static String displayName(AcsCredential credential) {
        if (credential.multiPhoneSync()) {
            return "Multi Phone Sync Credential";
        }
        if (credential.accessMethod() == AccessMethod.code && credential.code() != null) {
            return credential.code();
        }
        return switch (credential.accessMethod()) {
            case code -> "PIN Code";
            case card -> "Card";
            case mobile_key -> "Mobile Key";
            case cloud_key -> "Cloud Key";
        };
    }
}
