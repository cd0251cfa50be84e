package com.lockstep.credential.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.credential.domain.AccessMethod;
import com.lockstep.credential.domain.AcsCredential;
import com.lockstep.credential.domain.AcsSystem;
import com.lockstep.credential.domain.AcsUser;
import com.lockstep.credential.flows.CredentialLifecycle;
import com.lockstep.credential.store.AcsCredentialRepository;
import com.lockstep.credential.store.AcsSystemRepository;
import com.lockstep.credential.store.AcsUserRepository;
import com.lockstep.credential.store.UserIdentityRepository;
import com.lockstep.kit.api.Page;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.kit.api.Params;
import com.lockstep.kit.api.SdkMethod;
import com.lockstep.kit.api.SeamAnswer;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.consistency.PublicationBarrier;
import com.lockstep.kit.consistency.ReadFence;
import com.lockstep.kit.db.Database;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code /acs/credentials/*}, as Seam serves them. */
@Path("/acs/credentials")
@SeamApi
public class AcsCredentialResource {

    /** Manufacturer metadata Seam accepts at creation, kept as given and returned under the same names. */
    private static final List<String> VENDOR_METADATA = List.of("assa_abloy_vostio_metadata", "hotek_metadata",
            "salto_space_metadata", "visionline_metadata");
    /** A PIN code: digits only, as long as access control systems accept. */
    private static final Pattern PIN_CODE = Pattern.compile("^\\d{4,9}$");

    private final Database database;
    private final AcsCredentialRepository credentials;
    private final AcsUserRepository acsUsers;
    private final AcsSystemRepository systems;
    private final UserIdentityRepository identities;
    private final CredentialLifecycle lifecycle;
    private final ReadFence fence;
    private final PublicationBarrier publication;
    private final Duration consistencyTimeout;

    public AcsCredentialResource(Database database, AcsCredentialRepository credentials, AcsUserRepository acsUsers,
                                 AcsSystemRepository systems, UserIdentityRepository identities, CredentialLifecycle lifecycle,
                                 ReadFence fence,
                                 PublicationBarrier publication,
                                 @ConfigProperty(name = "lockstep.consistency.timeout", defaultValue = "PT2S") Duration consistencyTimeout) {
        this.fence = fence;
        this.publication = publication;
        this.consistencyTimeout = consistencyTimeout;
        this.database = database;
        this.credentials = credentials;
        this.acsUsers = acsUsers;
        this.systems = systems;
        this.identities = identities;
        this.lifecycle = lifecycle;
    }

    @POST
    @Path("/create")
    @SeamAnswer("acs_credential")
    public SeamResponse create(SeamRequest request) throws Exception {
        Params params = request.params();
        AccessMethod accessMethod = accessMethod(params);
        UUID acsUserId = params.optionalUuid("acs_user_id");
        UUID userIdentityId = params.optionalUuid("user_identity_id");
        UUID acsSystemId = params.optionalUuid("acs_system_id");
        UUID credentialManagerId = params.optionalUuid("credential_manager_acs_system_id");
        String code = params.optionalString("code");
        Instant startsAt = params.optionalInstant("starts_at");
        Instant endsAt = params.optionalInstant("ends_at");
        Boolean multiPhoneSync = params.optionalBoolean("is_multi_phone_sync_credential");
        List<UUID> entrances = params.optionalUuidList("allowed_acs_entrance_ids");
        ObjectNode vendorMetadata = JsonNodeFactory.instance.objectNode();
        for (String name : VENDOR_METADATA) {
            ObjectNode metadata = params.optionalObject(name);
            if (metadata != null) {
                vendorMetadata.set(name, metadata);
            }
        }
        if (!params.has("acs_user_id") && !params.has("user_identity_id")) {
            params.problem("acs_user_id", "Required: acs_user_id or user_identity_id");
        }
        if (code != null && accessMethod != null) {
            if (accessMethod != AccessMethod.code) {
                params.problem("code", "code is only for access_method 'code'");
            } else if (!PIN_CODE.matcher(code).matches()) {
                params.problem("code", "code must be 4 to 9 digits");
            }
        }
        if (Boolean.TRUE.equals(multiPhoneSync) && accessMethod != null && accessMethod != AccessMethod.mobile_key) {
            params.problem("is_multi_phone_sync_credential", "Only a mobile_key credential can be a multi-phone sync credential");
        }
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            params.problem("ends_at", "ends_at must be after starts_at");
        }
        params.validate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AcsCredential issued = database.inTransaction(tx -> {
            AcsUser user = acsUserId == null ? null : acsUsers.lock(request.workspaceId(), acsUserId)
                    .orElseThrow(() -> SeamException.notFound("acs_user"));
            AcsUser.IdentityContact identity = userIdentityId == null ? null
                    : identities.find(request.workspaceId(), userIdentityId)
                            .orElseThrow(() -> SeamException.notFound("user_identity"));
            if (user != null && userIdentityId != null && !userIdentityId.equals(user.userIdentityId())) {
                throw SeamException.invalidParameter("user_identity_id", "The ACS user is not linked to this user identity");
            }
            if (user != null && acsSystemId != null && !acsSystemId.equals(user.acsSystemId())) {
                throw SeamException.invalidParameter("acs_system_id", "The ACS user is in another ACS system");
            }
            UUID systemId = credentialManagerId != null ? credentialManagerId
                    : acsSystemId != null ? acsSystemId
                    : user != null ? user.acsSystemId() : null;
            if (systemId == null) {
                throw SeamException.invalidParameter("acs_system_id", "Required for a credential of a user identity");
            }
            AcsSystem system = systems.find(request.workspaceId(), systemId)
                    .orElseThrow(() -> SeamException.notFound("acs_system"));
            if (credentialManagerId != null && !system.credentialManager()) {
                throw SeamException.invalidParameter("credential_manager_acs_system_id", "The ACS system is not a credential manager");
            }
            if (user == null) {
                // As Seam: the identity's ACS user on the system holds the credential, created if it has none.
                user = lifecycle.acsUserOfIdentity(tx, system, userIdentityId, identity, now);
            }
            refuseIfIdentityLeaving(user.userIdentityId());
            AcsCredential credential = new AcsCredential(UUID.randomUUID(), request.workspaceId(), systemId,
                    system.connectedAccountId(), system.externalType(), user.acsUserId(), user.userIdentityId(), accessMethod,
                    accessMethod == AccessMethod.code && code == null ? generatedCode() : code, startsAt, endsAt,
                    Boolean.TRUE.equals(multiPhoneSync), null, null, entrances == null ? List.of() : entrances,
                    vendorMetadata, now, now);
            return lifecycle.issue(tx, credential);
        });
        confirmIdentityStays(issued.userIdentityId(), tx -> lifecycle.delete(tx,
                find(request.workspaceId(), issued.acsCredentialId(), false), Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        return SeamResponse.of("acs_credential", AcsCredentialJson.of(issued));
    }

    @POST
    @Path("/get")
    @SeamAnswer("acs_credential")
    @SdkMethod(HttpMethod.GET)
    public SeamResponse get(SeamRequest request) throws Exception {
        UUID id = request.params().requiredUuid("acs_credential_id");
        request.params().validate();
        return SeamResponse.of("acs_credential", AcsCredentialJson.of(
                database.read(() -> find(request.workspaceId(), id, false))));
    }

    /** Seam's filter combinations: none, acs_user_id, acs_system_id, both of those, or user_identity_id alone. */
    @POST
    @Path("/list")
    @SeamAnswer(value = "acs_credentials", list = true, paginated = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse list(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID acsUserId = params.optionalUuid("acs_user_id");
        UUID acsSystemId = params.optionalUuid("acs_system_id");
        UUID userIdentityId = params.optionalUuid("user_identity_id");
        if (params.has("user_identity_id") && (params.has("acs_user_id") || params.has("acs_system_id"))) {
            params.problem("user_identity_id", "user_identity_id cannot be combined with acs_user_id or acs_system_id");
        }
        AcsCredentialRepository.Filter filter = new AcsCredentialRepository.Filter(acsUserId, acsSystemId, userIdentityId,
                params.optionalBoolean("is_multi_phone_sync_credential"), params.optionalString("search"),
                params.optionalInstant("created_before"));
        int limit = Page.limit(params);
        PageCursor cursor = PageCursor.read(params);
        params.validate();
        List<AcsCredential> rows = database.read(() -> credentials.list(request.workspaceId(), filter, cursor, limit));
        return Page.response("acs_credentials", rows, limit, request, AcsCredentialJson::of,
                c -> new PageCursor(c.createdAt(), c.acsCredentialId()));
    }

    @POST
    @Path("/assign")
    @SeamAnswer("acs_credential")
    @SdkMethod(HttpMethod.PATCH)
    public SeamResponse assign(SeamRequest request) throws Exception {
        return reassign(request, true);
    }

    @POST
    @Path("/unassign")
    @SeamAnswer("acs_credential")
    @SdkMethod(HttpMethod.PATCH)
    public SeamResponse unassign(SeamRequest request) throws Exception {
        return reassign(request, false);
    }

    /**
     * Assigns a credential to an ACS user (named by acs_user_id, or by user_identity_id in the
     * credential's ACS system, where as Seam the identity gets one if it has none), or unassigns it
     * from the one it is assigned to. A multi-phone-sync credential and its children follow their
     * ACS user and are not reassigned.
     */
    private SeamResponse reassign(SeamRequest request, boolean assign) throws Exception {
        Params params = request.params();
        UUID id = params.requiredUuid("acs_credential_id");
        UUID acsUserId = params.optionalUuid("acs_user_id");
        UUID userIdentityId = params.optionalUuid("user_identity_id");
        if (!params.has("acs_user_id") && !params.has("user_identity_id")) {
            params.problem("acs_user_id", "Required: acs_user_id or user_identity_id");
        }
        params.validate();
        AcsCredential result = database.inTransaction(tx -> {
            AcsCredential credential = find(request.workspaceId(), id, true);
            if (credential.multiPhoneSync() || credential.parentAcsCredentialId() != null) {
                throw new SeamException(400, "cannot_reassign_multi_phone_sync_credential",
                        "A multi-phone sync credential and its children stay with their ACS user");
            }
            AcsUser user;
            if (assign && acsUserId == null) {
                AcsUser.IdentityContact identity = identities.find(request.workspaceId(), userIdentityId)
                        .orElseThrow(() -> SeamException.notFound("user_identity"));
                AcsSystem system = systems.find(request.workspaceId(), credential.acsSystemId())
                        .orElseThrow(() -> SeamException.notFound("acs_system"));
                user = lifecycle.acsUserOfIdentity(tx, system, userIdentityId, identity, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            } else {
                Optional<AcsUser> named = acsUserId != null
                        ? acsUsers.lock(request.workspaceId(), acsUserId)
                        : acsUsers.findOfIdentity(request.workspaceId(), userIdentityId, credential.acsSystemId(), true);
                user = named.filter(u -> userIdentityId == null || userIdentityId.equals(u.userIdentityId()))
                        .orElseThrow(() -> SeamException.notFound("acs_user"));
            }
            if (assign) {
                if (!user.acsSystemId().equals(credential.acsSystemId())) {
                    throw SeamException.invalidParameter("acs_user_id", "The ACS user is in another ACS system than the credential");
                }
                refuseIfIdentityLeaving(user.userIdentityId());
                credentials.assign(id, user.acsUserId(), user.userIdentityId());
            } else {
                if (!user.acsUserId().equals(credential.acsUserId())) {
                    throw new SeamException(400, "credential_not_assigned_to_acs_user",
                            "The credential is not assigned to this ACS user");
                }
                credentials.assign(id, null, null);
            }
            return find(request.workspaceId(), id, false);
        });
        if (assign) {
            confirmIdentityStays(result.userIdentityId(), tx -> {
                credentials.assign(id, null, null);
                return null;
            });
        }
        return SeamResponse.of("acs_credential", AcsCredentialJson.of(result));
    }

    /** A deleted identity, or one whose deletion identity-service has announced, gets no credential. */
    private void refuseIfIdentityLeaving(UUID userIdentityId) {
        if (userIdentityId != null && !identities.acceptsCredentials(userIdentityId)) {
            throw identityLeaving();
        }
    }

    /**
     * This service's half of identity-service's deletion protocol ({@code UserIdentityResource.delete}):
     * once the credential's change is published, read everything published by then. If the identity's
     * deletion was announced meanwhile, identity-service may not have seen this credential: take the
     * change back ({@code withdraw}) and refuse. One of the two is refused, never both accepted. If
     * this cannot be confirmed in time, the change is taken back too, and the answer is a 503.
     */
    private void confirmIdentityStays(UUID userIdentityId, Database.Work<?> withdraw) throws Exception {
        if (userIdentityId == null) {
            return;
        }
        long deadline = System.nanoTime() + consistencyTimeout.toNanos();
        boolean stays = false;
        try {
            publication.await(deadline);
            fence.await(deadline);
            stays = database.read(() -> identities.acceptsCredentials(userIdentityId));
        } finally {
            if (!stays) {
                database.inTransaction(withdraw);
            }
        }
        if (!stays) {
            throw identityLeaving();
        }
    }

    private static SeamException identityLeaving() {
        return new SeamException(409, "user_identity_being_deleted",
                "The user identity is deleted or being deleted: it can get no credential");
    }

    @POST
    @Path("/update")
    @SeamAnswer("acs_credential")
    @SdkMethod(HttpMethod.PATCH)
    public SeamResponse update(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID id = params.requiredUuid("acs_credential_id");
        String code = params.optionalString("code");
        Instant endsAt = params.optionalInstant("ends_at");
        if (code != null && !PIN_CODE.matcher(code).matches()) {
            params.problem("code", "code must be 4 to 9 digits");
        }
        params.validate();
        AcsCredential result = database.inTransaction(tx -> {
            AcsCredential credential = find(request.workspaceId(), id, true);
            if (code != null && credential.accessMethod() != AccessMethod.code) {
                throw SeamException.invalidParameter("code", "code is only for access_method 'code'");
            }
            if (endsAt != null && credential.startsAt() != null && !endsAt.isAfter(credential.startsAt())) {
                throw SeamException.invalidParameter("ends_at", "ends_at must be after starts_at");
            }
            credentials.change(id, code != null ? code : credential.code(), endsAt != null ? endsAt : credential.endsAt());
            lifecycle.reissue(tx, id, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            return find(request.workspaceId(), id, false);
        });
        return SeamResponse.of("acs_credential", AcsCredentialJson.of(result));
    }

    @POST
    @Path("/delete")
    @SdkMethod(HttpMethod.DELETE)
    public SeamResponse delete(SeamRequest request) throws Exception {
        UUID id = request.params().requiredUuid("acs_credential_id");
        request.params().validate();
        database.inTransaction(tx -> {
            // Unlocked: the lifecycle takes the identity's lock before any row's.
            List<AcsCredential> deleted = lifecycle.delete(tx, find(request.workspaceId(), id, false),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            if (deleted.isEmpty()) {
                throw SeamException.notFound("acs_credential");
            }
            return null;
        });
        return SeamResponse.ok();
    }

    private AcsCredential find(UUID workspaceId, UUID id, boolean lock) {
        return (lock ? credentials.lock(workspaceId, id) : credentials.find(workspaceId, id))
                .orElseThrow(() -> SeamException.notFound("acs_credential"));
    }

    private static AccessMethod accessMethod(Params params) {
        String text = params.requiredString("access_method");
        if (text == null) {
            return null;
        }
        try {
            return AccessMethod.valueOf(text);
        } catch (IllegalArgumentException e) {
            params.problem("access_method", "Invalid enum value. Expected "
                    + String.join(" | ", Arrays.stream(AccessMethod.values()).map(m -> "'" + m.name() + "'").toList())
                    + ", received '" + text + "'");
            return null;
        }
    }

    /** Seam picks a code when a PIN code credential is created without one. */
    private static String generatedCode() {
        return String.format("%06d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000));
    }
}
