package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lockstep.identity.domain.AcsUser;
import com.lockstep.identity.domain.AcsUserLink;
import com.lockstep.identity.domain.UserIdentity;
import com.lockstep.identity.events.outgoing.UserIdentityEvents;
import com.lockstep.identity.store.AcsSystemRepository;
import com.lockstep.identity.store.AcsUserLinkRepository;
import com.lockstep.identity.store.AcsUserRepository;
import com.lockstep.identity.store.DeviceGrantRepository;
import com.lockstep.identity.store.DeviceRepository;
import com.lockstep.identity.store.UserIdentityRepository;
import com.lockstep.kit.api.Params;
import com.lockstep.kit.api.SdkMethod;
import com.lockstep.kit.api.SeamAnswer;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.db.Database;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a user identity can use: its ACS users (and through them its ACS systems) and the devices
 * it was granted. Links and grants are idempotent, since the SDK retries PUT and DELETE.
 */
@Path("/user_identities")
@SeamApi
public class UserIdentityAccessResource {

    private final Database database;
    private final UserIdentityRepository identities;
    private final AcsUserLinkRepository links;
    private final AcsUserRepository acsUsers;
    private final AcsSystemRepository acsSystems;
    private final DeviceGrantRepository grants;
    private final DeviceRepository devices;
    private final UserIdentityEvents identityEvents;

    public UserIdentityAccessResource(Database database, UserIdentityRepository identities, AcsUserLinkRepository links,
                                      AcsUserRepository acsUsers, AcsSystemRepository acsSystems, DeviceGrantRepository grants,
                                      DeviceRepository devices, UserIdentityEvents identityEvents) {
        this.database = database;
        this.identities = identities;
        this.links = links;
        this.acsUsers = acsUsers;
        this.acsSystems = acsSystems;
        this.grants = grants;
        this.devices = devices;
        this.identityEvents = identityEvents;
    }

    /**
     * Links the ACS user to the identity named by id or key. Seam: a key that names no identity
     * creates one from the ACS user's name, email address and phone number.
     */
    @POST
    @Path("/add_acs_user")
    @SdkMethod(HttpMethod.PUT)
    public SeamResponse addAcsUser(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID acsUserId = params.requiredUuid("acs_user_id");
        UUID userIdentityId = params.optionalUuid("user_identity_id");
        String userIdentityKey = params.optionalString("user_identity_key");
        if (!params.has("user_identity_id") && !params.has("user_identity_key")) {
            params.problem("user_identity_id", "Required: user_identity_id or user_identity_key");
        }
        params.validate();
        UUID workspaceId = request.workspaceId();
        database.inTransaction(tx -> {
            AcsUser user = acsUsers.find(workspaceId, acsUserId).orElseThrow(() -> SeamException.notFound("acs_user"));
            Optional<UserIdentity> found = identities.lock(workspaceId, userIdentityId, userIdentityKey);
            Instant now = now();
            UserIdentity identity;
            if (found.isPresent()) {
                identity = found.get();
            } else if (userIdentityId == null) {
                identity = new UserIdentity(UUID.randomUUID(), workspaceId, userIdentityKey, user.emailAddress(),
                        user.phoneNumber(), user.fullName(), now);
                Conflicts.guard(() -> identities.persistAndFlush(identity));
                identityEvents.created(tx, identity, List.of());
            } else {
                throw SeamException.notFound("user_identity");
            }
            Optional<AcsUserLink> link = links.find(workspaceId, acsUserId).filter(AcsUserLink::active);
            if (link.isPresent()) {
                if (link.get().userIdentityId().equals(identity.userIdentityId())) {
                    return null;
                }
                throw new SeamException(409, "acs_user_already_linked",
                        "The ACS user belongs to another user identity; remove it from that one first");
            }
            Conflicts.guard(() -> links.link(workspaceId, identity.userIdentityId(), acsUserId, user.acsSystemId(), now));
            identityEvents.acsUserAdded(tx, workspaceId, identity.userIdentityId(), acsUserId, user.acsSystemId(), now);
            return null;
        });
        return SeamResponse.ok();
    }

    /** Removing an ACS user that is not linked to the identity succeeds, if the ACS user exists. */
    @POST
    @Path("/remove_acs_user")
    @SdkMethod(HttpMethod.DELETE)
    public SeamResponse removeAcsUser(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID acsUserId = params.requiredUuid("acs_user_id");
        UUID userIdentityId = params.requiredUuid("user_identity_id");
        params.validate();
        UUID workspaceId = request.workspaceId();
        database.inTransaction(tx -> {
            lockIdentity(workspaceId, userIdentityId);
            Optional<AcsUserLink> link = links.find(workspaceId, acsUserId);
            Instant now = now();
            if (link.isPresent() && links.unlink(userIdentityId, acsUserId, now)) {
                identityEvents.acsUserRemoved(tx, workspaceId, userIdentityId, acsUserId, link.get().acsSystemId(), now);
            } else if (link.isEmpty() && acsUsers.find(workspaceId, acsUserId).isEmpty()) {
                throw SeamException.notFound("acs_user");
            }
            return null;
        });
        return SeamResponse.ok();
    }

    @POST
    @Path("/list_acs_users")
    @SeamAnswer(value = "acs_users", list = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse listAcsUsers(SeamRequest request) throws Exception {
        UUID userIdentityId = request.params().requiredUuid("user_identity_id");
        request.params().validate();
        return database.read(() -> {
            UserIdentity identity = findIdentity(request.workspaceId(), userIdentityId);
            ArrayNode users = JsonNodeFactory.instance.arrayNode();
            acsUsers.linkedTo(userIdentityId).forEach(user -> users.add(AcsUserJson.of(user, identity)));
            return SeamResponse.of("acs_users", users);
        });
    }

    @POST
    @Path("/list_acs_systems")
    @SeamAnswer(value = "acs_systems", list = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse listAcsSystems(SeamRequest request) throws Exception {
        UUID userIdentityId = request.params().requiredUuid("user_identity_id");
        request.params().validate();
        return database.read(() -> {
            findIdentity(request.workspaceId(), userIdentityId);
            ArrayNode systems = JsonNodeFactory.instance.arrayNode();
            systems.addAll(acsSystems.ofIdentity(userIdentityId));
            return SeamResponse.of("acs_systems", systems);
        });
    }

    /** Only a device identity-service knows from device-gateway's state can be granted. */
    @POST
    @Path("/grant_access_to_device")
    @SdkMethod(HttpMethod.PUT)
    public SeamResponse grantAccessToDevice(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID userIdentityId = params.requiredUuid("user_identity_id");
        UUID deviceId = params.requiredUuid("device_id");
        params.validate();
        database.inTransaction(tx -> {
            UserIdentity identity = lockIdentity(request.workspaceId(), userIdentityId);
            if (!devices.exists(request.workspaceId(), deviceId)) {
                throw SeamException.notFound("device");
            }
            Instant now = now();
            if (grants.grant(request.workspaceId(), userIdentityId, deviceId, now)) {
                identityEvents.deviceAccessGranted(tx, identity, deviceId, now);
            }
            return null;
        });
        return SeamResponse.ok();
    }

    /** Revoking access the identity does not have succeeds, if the device exists. */
    @POST
    @Path("/revoke_access_to_device")
    @SdkMethod(HttpMethod.DELETE)
    public SeamResponse revokeAccessToDevice(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID userIdentityId = params.requiredUuid("user_identity_id");
        UUID deviceId = params.requiredUuid("device_id");
        params.validate();
        database.inTransaction(tx -> {
            UserIdentity identity = lockIdentity(request.workspaceId(), userIdentityId);
            if (grants.revoke(userIdentityId, deviceId)) {
                identityEvents.deviceAccessRevoked(tx, identity, deviceId, now());
            } else if (!devices.exists(request.workspaceId(), deviceId)) {
                throw SeamException.notFound("device");
            }
            return null;
        });
        return SeamResponse.ok();
    }

    /** Full device objects, under {@code devices} and under Seam's deprecated {@code accessible_devices}. */
    @POST
    @Path("/list_accessible_devices")
    @SeamAnswer(value = "devices", list = true, sameAs = "accessible_devices")
    @SdkMethod(HttpMethod.GET)
    public SeamResponse listAccessibleDevices(SeamRequest request) throws Exception {
        UUID userIdentityId = request.params().requiredUuid("user_identity_id");
        request.params().validate();
        return database.read(() -> {
            findIdentity(request.workspaceId(), userIdentityId);
            ArrayNode accessible = JsonNodeFactory.instance.arrayNode();
            accessible.addAll(devices.grantedTo(userIdentityId));
            return SeamResponse.of("devices", accessible).with("accessible_devices", accessible.deepCopy());
        });
    }

    private UserIdentity findIdentity(UUID workspaceId, UUID userIdentityId) {
        return identities.find(workspaceId, userIdentityId, null)
                .orElseThrow(() -> SeamException.notFound("user_identity"));
    }

    /** Takes the identity's row lock, so its events are written in the order its changes commit. */
    private UserIdentity lockIdentity(UUID workspaceId, UUID userIdentityId) {
        return identities.lock(workspaceId, userIdentityId, null)
                .orElseThrow(() -> SeamException.notFound("user_identity"));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
