package com.lockstep.credential.api;

import com.lockstep.kit.api.Params;

import java.util.UUID;

/**
 * How Seam names one ACS user in a request: {@code acs_user_id}, or a user identity's ACS user
 * in an ACS system ({@code user_identity_id} and {@code acs_system_id}).
 */
record AcsUserRef(UUID acsUserId, UUID userIdentityId, UUID acsSystemId) {

    static AcsUserRef read(Params params) {
        UUID acsUserId = params.optionalUuid("acs_user_id");
        UUID userIdentityId = params.optionalUuid("user_identity_id");
        UUID acsSystemId = params.optionalUuid("acs_system_id");
        boolean named = params.has("acs_user_id") || params.has("user_identity_id") && params.has("acs_system_id");
        if (!named) {
            params.problem("acs_user_id", "Required: acs_user_id, or user_identity_id with acs_system_id");
        }
        return new AcsUserRef(acsUserId, userIdentityId, acsSystemId);
    }
}
