package com.lockstep.credential.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An access credential: a PIN code, a card or a mobile key. A multi-phone-sync credential is a
 * parent: each active phone of its user identity holds a child ({@code parentAcsCredentialId}
 * set, {@code deviceId} the phone). {@code vendorMetadata} holds the manufacturer metadata
 * objects as the caller gave them, by their Seam names.
 */
public record AcsCredential(
        UUID acsCredentialId,
        UUID workspaceId,
        UUID acsSystemId,
        UUID connectedAccountId,
        String systemExternalType,
        UUID acsUserId,
        UUID userIdentityId,
        AccessMethod accessMethod,
        String code,
        Instant startsAt,
        Instant endsAt,
        boolean multiPhoneSync,
        UUID parentAcsCredentialId,
        UUID deviceId,
        List<UUID> allowedAcsEntranceIds,
        ObjectNode vendorMetadata,
        Instant issuedAt,
        Instant createdAt) {

    /**
     * The same credential for {@code phone}: a child of this multi-phone-sync credential, issued at
     * {@code issuedAt} (null: held back, while its ACS user is suspended).
     */
    public AcsCredential childFor(UUID phone, Instant now, Instant issuedAt) {
        return new AcsCredential(UUID.randomUUID(), workspaceId, acsSystemId, connectedAccountId, systemExternalType,
                acsUserId, userIdentityId, AccessMethod.mobile_key, null, startsAt, endsAt, false, acsCredentialId, phone,
                allowedAcsEntranceIds, vendorMetadata, issuedAt, now);
    }

    /** This credential issued at {@code at} (null: not issued). */
    public AcsCredential withIssuedAt(Instant at) {
        return new AcsCredential(acsCredentialId, workspaceId, acsSystemId, connectedAccountId, systemExternalType, acsUserId,
                userIdentityId, accessMethod, code, startsAt, endsAt, multiPhoneSync, parentAcsCredentialId, deviceId,
                allowedAcsEntranceIds, vendorMetadata, at, createdAt);
    }
}
