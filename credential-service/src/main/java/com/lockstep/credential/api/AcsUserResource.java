package com.lockstep.credential.api;

import com.lockstep.credential.domain.AcsSystem;
import com.lockstep.credential.domain.AcsUser;
import com.lockstep.credential.flows.CredentialLifecycle;
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
import com.lockstep.kit.db.Database;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** {@code /acs/users/*}, as Seam serves them. */
@Path("/acs/users")
@SeamApi
public class AcsUserResource {

    private final Database database;
    private final AcsUserRepository acsUsers;
    private final AcsSystemRepository systems;
    private final UserIdentityRepository identities;
    private final CredentialLifecycle lifecycle;

    public AcsUserResource(Database database, AcsUserRepository acsUsers, AcsSystemRepository systems,
                           UserIdentityRepository identities, CredentialLifecycle lifecycle) {
        this.database = database;
        this.acsUsers = acsUsers;
        this.systems = systems;
        this.identities = identities;
        this.lifecycle = lifecycle;
    }

    @POST
    @Path("/create")
    @SeamAnswer("acs_user")
    public SeamResponse create(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID acsSystemId = params.requiredUuid("acs_system_id");
        String fullName = params.has("full_name") ? params.optionalNonEmptyString("full_name") : params.requiredString("full_name");
        UUID userIdentityId = params.optionalUuid("user_identity_id");
        String email = emailOf(params);
        String phone = params.optionalE164("phone_number");
        Schedule schedule = schedule(params);
        List<UUID> accessGroups = params.optionalUuidList("acs_access_group_ids");
        params.validate();
        if (accessGroups != null && !accessGroups.isEmpty()) {
            throw SeamException.notFound("acs_access_group");
        }
        UUID acsUserId = UUID.randomUUID();
        database.inTransaction(tx -> {
            AcsSystem system = systems.find(request.workspaceId(), acsSystemId)
                    .orElseThrow(() -> SeamException.notFound("acs_system"));
            if (userIdentityId != null && identities.find(request.workspaceId(), userIdentityId).isEmpty()) {
                throw SeamException.notFound("user_identity");
            }
            AcsUser user = new AcsUser(acsUserId, system, userIdentityId, fullName, email, phone, schedule.startsAt(),
                    schedule.endsAt(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
            if (!lifecycle.createAcsUser(tx, user)) {
                throw new SeamException(409, "user_identity_already_has_acs_user",
                        "The user identity already has an ACS user in this ACS system");
            }
            return null;
        });
        AcsUser created = database.read(() -> acsUsers.find(request.workspaceId(), acsUserId)).orElseThrow();
        return SeamResponse.of("acs_user", AcsUserJson.of(created));
    }

    @POST
    @Path("/get")
    @SeamAnswer("acs_user")
    @SdkMethod(HttpMethod.GET)
    public SeamResponse get(SeamRequest request) throws Exception {
        AcsUserRef ref = AcsUserRef.read(request.params());
        request.params().validate();
        AcsUser user = database.read(() -> find(request.workspaceId(), ref, false));
        return SeamResponse.of("acs_user", AcsUserJson.of(user));
    }

    @POST
    @Path("/list")
    @SeamAnswer(value = "acs_users", list = true, paginated = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse list(SeamRequest request) throws Exception {
        Params params = request.params();
        AcsUserRepository.Filter filter = new AcsUserRepository.Filter(params.optionalUuid("acs_system_id"),
                params.optionalUuid("user_identity_id"), params.optionalString("user_identity_email_address"),
                params.optionalString("user_identity_phone_number"), params.optionalString("search"),
                params.optionalInstant("created_before"));
        int limit = Page.limit(params);
        PageCursor cursor = PageCursor.read(params);
        params.validate();
        List<AcsUser> rows = database.read(() -> acsUsers.list(request.workspaceId(), filter, cursor, limit));
        return Page.response("acs_users", rows, limit, request, AcsUserJson::of, u -> new PageCursor(u.createdAt(), u.acsUserId()));
    }

    @POST
    @Path("/update")
    @SdkMethod(HttpMethod.PATCH)
    public SeamResponse update(SeamRequest request) throws Exception {
        Params params = request.params();
        AcsUserRef ref = AcsUserRef.read(params);
        String fullName = params.optionalNonEmptyString("full_name");
        String email = emailOf(params);
        String phone = params.optionalE164("phone_number");
        Schedule schedule = schedule(params);
        params.optionalUuid("hid_acs_system_id");
        params.validate();
        database.inTransaction(tx -> {
            AcsUser user = find(request.workspaceId(), ref, true);
            boolean hasSchedule = params.has("access_schedule");
            lifecycle.updateAcsUser(tx, user,
                    fullName != null ? fullName : user.fullName(),
                    params.has("email_address") || params.has("email") ? email : user.emailAddress(),
                    params.has("phone_number") ? phone : user.phoneNumber(),
                    hasSchedule ? schedule.startsAt() : user.accessScheduleStartsAt(),
                    hasSchedule ? schedule.endsAt() : user.accessScheduleEndsAt(),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            return null;
        });
        return SeamResponse.ok();
    }

    @POST
    @Path("/delete")
    @SdkMethod(HttpMethod.DELETE)
    public SeamResponse delete(SeamRequest request) throws Exception {
        AcsUserRef ref = AcsUserRef.read(request.params());
        request.params().validate();
        database.inTransaction(tx -> {
            // Unlocked: the lifecycle takes the identity's lock before any row's.
            if (!lifecycle.deleteAcsUser(tx, find(request.workspaceId(), ref, false), Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
                throw SeamException.notFound("acs_user");
            }
            return null;
        });
        return SeamResponse.ok();
    }

    @POST
    @Path("/suspend")
    public SeamResponse suspend(SeamRequest request) throws Exception {
        return suspend(request, true);
    }

    @POST
    @Path("/unsuspend")
    public SeamResponse unsuspend(SeamRequest request) throws Exception {
        return suspend(request, false);
    }

    private SeamResponse suspend(SeamRequest request, boolean suspended) throws Exception {
        AcsUserRef ref = AcsUserRef.read(request.params());
        request.params().validate();
        database.inTransaction(tx -> {
            lifecycle.setSuspended(tx, find(request.workspaceId(), ref, true), suspended,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            return null;
        });
        return SeamResponse.ok();
    }

    private AcsUser find(UUID workspaceId, AcsUserRef ref, boolean lock) {
        var found = ref.acsUserId() != null
                ? (lock ? acsUsers.lock(workspaceId, ref.acsUserId()) : acsUsers.find(workspaceId, ref.acsUserId()))
                        .filter(u -> ref.userIdentityId() == null || ref.userIdentityId().equals(u.userIdentityId()))
                        .filter(u -> ref.acsSystemId() == null || ref.acsSystemId().equals(u.acsSystemId()))
                : acsUsers.findOfIdentity(workspaceId, ref.userIdentityId(), ref.acsSystemId(), lock);
        return found.orElseThrow(() -> SeamException.notFound("acs_user"));
    }

    /** {@code email_address}, or the deprecated {@code email}. */
    private static String emailOf(Params params) {
        String email = params.optionalEmail("email_address");
        String deprecated = params.optionalEmail("email");
        return email != null ? email : deprecated;
    }

    /** An ACS user's access window; both null when it has none. */
    private record Schedule(Instant startsAt, Instant endsAt) {
    }

    /** {@code access_schedule}: its start (now if left out) and end, the end after the start. */
    private static Schedule schedule(Params params) {
        if (!params.has("access_schedule")) {
            return new Schedule(null, null);
        }
        Params schedule = params.nested("access_schedule");
        Instant startsAt = schedule.optionalInstant("starts_at");
        Instant endsAt = schedule.optionalInstant("ends_at");
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            schedule.problem("ends_at", "ends_at must be after starts_at");
        }
        schedule.validate();
        return new Schedule(startsAt != null ? startsAt : Instant.now().truncatedTo(ChronoUnit.MILLIS), endsAt);
    }
}
