package com.lockstep.identity.api;

import com.lockstep.identity.domain.AcsUser;
import com.lockstep.identity.domain.Dependents;
import com.lockstep.identity.domain.InstantKey;
import com.lockstep.identity.domain.LinkedAcsUser;
import com.lockstep.identity.domain.UserIdentity;
import com.lockstep.identity.domain.UserIdentityProfile;
import com.lockstep.identity.events.outgoing.UserIdentityEvents;
import com.lockstep.identity.store.AcsSystemRepository;
import com.lockstep.identity.store.AcsUserLinkRepository;
import com.lockstep.identity.store.AcsUserRepository;
import com.lockstep.identity.store.CredentialRepository;
import com.lockstep.identity.store.DeviceGrantRepository;
import com.lockstep.identity.store.EnrollmentAutomationRepository;
import com.lockstep.identity.store.InstantKeyRepository;
import com.lockstep.identity.store.PhoneRepository;
import com.lockstep.identity.store.UserIdentityRepository;
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

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** {@code /user_identities/*}: the identities themselves and their instant keys, as Seam serves them. */
@Path("/user_identities")
@SeamApi
public class UserIdentityResource {

    /** Seam's instant keys last two days. */
    private static final Duration INSTANT_KEY_LIFETIME = Duration.ofHours(48);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final UserIdentityRepository identities;
    private final AcsUserLinkRepository links;
    private final AcsUserRepository acsUsers;
    private final AcsSystemRepository acsSystems;
    private final CredentialRepository credentials;
    private final EnrollmentAutomationRepository enrollmentAutomations;
    private final PhoneRepository phones;
    private final DeviceGrantRepository grants;
    private final InstantKeyRepository instantKeys;
    private final ReadFence fence;
    private final PublicationBarrier publication;
    private final Duration consistencyTimeout;
    private final String instantKeyUrlBase;
    private final UserIdentityEvents identityEvents;

    public UserIdentityResource(Database database, UserIdentityRepository identities, AcsUserLinkRepository links,
                                AcsUserRepository acsUsers, AcsSystemRepository acsSystems, CredentialRepository credentials,
                                EnrollmentAutomationRepository enrollmentAutomations, PhoneRepository phones,
                                DeviceGrantRepository grants, InstantKeyRepository instantKeys, ReadFence fence,
                                PublicationBarrier publication,
                                @ConfigProperty(name = "lockstep.consistency.timeout", defaultValue = "PT2S") Duration consistencyTimeout,
                                @ConfigProperty(name = "lockstep.instant-keys.url-base") String instantKeyUrlBase,
                                UserIdentityEvents identityEvents) {
        this.database = database;
        this.identities = identities;
        this.links = links;
        this.acsUsers = acsUsers;
        this.acsSystems = acsSystems;
        this.credentials = credentials;
        this.enrollmentAutomations = enrollmentAutomations;
        this.phones = phones;
        this.grants = grants;
        this.instantKeys = instantKeys;
        this.fence = fence;
        this.publication = publication;
        this.consistencyTimeout = consistencyTimeout;
        this.instantKeyUrlBase = instantKeyUrlBase;
        this.identityEvents = identityEvents;
    }

    /**
     * Each of {@code acs_system_ids} gets the identity linked to an unlinked ACS user there with
     * the same email address or phone number; where there is none, user_identity.created asks
     * credential-service to create one.
     */
    @POST
    @Path("/create")
    @SeamAnswer("user_identity")
    public SeamResponse create(SeamRequest request) throws Exception {
        Params params = request.params();
        UserIdentityProfile profile = UserIdentityProfile.read(params);
        List<UUID> acsSystemIds = params.optionalUuidList("acs_system_ids");
        params.validate();
        UUID workspaceId = request.workspaceId();
        Instant now = now();
        UserIdentity identity = new UserIdentity(UUID.randomUUID(), workspaceId, profile.userIdentityKey(),
                profile.emailAddress(), profile.phoneNumber(), profile.fullName(), now);
        Set<UUID> systems = acsSystemIds == null ? Set.of() : new LinkedHashSet<>(acsSystemIds);
        List<LinkedAcsUser> linked = database.inTransaction(tx -> {
            if (!systems.isEmpty() && !acsSystems.existing(workspaceId, systems).containsAll(systems)) {
                throw SeamException.notFound("acs_system");
            }
            Conflicts.guard(() -> identities.persistAndFlush(identity));
            List<UUID> withoutAcsUser = new ArrayList<>();
            List<AcsUser> matched = new ArrayList<>();
            for (UUID system : systems) {
                Optional<AcsUser> match = acsUsers.findUnlinkedMatch(workspaceId, system, identity.emailAddress(),
                        identity.phoneNumber());
                if (match.isPresent() && links.link(workspaceId, identity.userIdentityId(), match.get().acsUserId(), system, now)) {
                    matched.add(match.get());
                } else {
                    withoutAcsUser.add(system);
                }
            }
            identityEvents.created(tx, identity, withoutAcsUser);
            for (AcsUser user : matched) {
                identityEvents.acsUserAdded(tx, workspaceId, identity.userIdentityId(), user.acsUserId(), user.acsSystemId(), now);
            }
            return links.linkedAcsUsers(List.of(identity.userIdentityId()));
        });
        return SeamResponse.of("user_identity", UserIdentityJson.of(identity, linked));
    }

    @POST
    @Path("/get")
    @SeamAnswer("user_identity")
    @SdkMethod(HttpMethod.GET)
    public SeamResponse get(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID userIdentityId = params.optionalUuid("user_identity_id");
        String userIdentityKey = params.optionalString("user_identity_key");
        if (!params.has("user_identity_id") && !params.has("user_identity_key")) {
            params.problem("user_identity_id", "Required: user_identity_id or user_identity_key");
        }
        params.validate();
        return database.read(() -> {
            UserIdentity identity = identities.find(request.workspaceId(), userIdentityId, userIdentityKey)
                    .orElseThrow(() -> SeamException.notFound("user_identity"));
            return SeamResponse.of("user_identity", UserIdentityJson.of(identity, links.linkedAcsUsers(List.of(identity.userIdentityId()))));
        });
    }

    @POST
    @Path("/list")
    @SeamAnswer(value = "user_identities", list = true, paginated = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse list(SeamRequest request) throws Exception {
        Params params = request.params();
        UserIdentityRepository.ListFilter filter = new UserIdentityRepository.ListFilter(params.optionalUuidList("user_identity_ids"),
                params.optionalString("search"), params.optionalInstant("created_before"),
                params.optionalUuid("credential_manager_acs_system_id"));
        int limit = Page.limit(params);
        PageCursor cursor = PageCursor.read(params);
        params.validate();
        return database.read(() -> {
            List<UserIdentity> rows = identities.list(request.workspaceId(), filter, cursor, limit);
            Map<UUID, List<LinkedAcsUser>> linksOf = links.linkedAcsUsers(rows.stream().map(UserIdentity::userIdentityId).toList())
                    .stream().collect(Collectors.groupingBy(LinkedAcsUser::userIdentityId));
            return Page.response("user_identities", rows, limit, request,
                    identity -> UserIdentityJson.of(identity, linksOf.getOrDefault(identity.userIdentityId(), List.of())),
                    identity -> new PageCursor(identity.createdAt(), identity.userIdentityId()));
        });
    }

    /** Fields left out keep their values; a field sent as null is cleared. Publishes only a change. */
    @POST
    @Path("/update")
    @SdkMethod(HttpMethod.PATCH)
    public SeamResponse update(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID userIdentityId = params.requiredUuid("user_identity_id");
        UserIdentityProfile requested = UserIdentityProfile.read(params);
        params.validate();
        database.inTransaction(tx -> {
            UserIdentity identity = identities.lock(request.workspaceId(), userIdentityId, null)
                    .orElseThrow(() -> SeamException.notFound("user_identity"));
            UserIdentityProfile profile = requested.over(identity.profile(), params);
            if (!profile.equals(identity.profile())) {
                identity.change(profile);
                Conflicts.guard(identities::flush);
                identityEvents.updated(tx, identity, now());
            }
            return null;
        });
        return SeamResponse.ok();
    }

    /**
     * Seam's rule: refused while the identity has credentials, enrollment automations or phones
     * not deactivated; otherwise it goes with its links, grants and instant keys.
     * <p>
     * A credential may be created for the identity in credential-service at the same moment, and
     * this service learns of it only through Kafka. So the deletion is announced first
     * ({@code user_identity.updated} with {@code deletion_pending}), and the dependents are looked at
     * again once the announcement is published and this service has read everything published by
     * then. A credential created concurrently was either published before that read (seen here:
     * the deletion is refused and the announcement withdrawn), or its creator, looking again after
     * publishing it, sees the announcement and withdraws the credential. Both may be refused; both
     * are never accepted.
     */
    @POST
    @Path("/delete")
    @SdkMethod(HttpMethod.DELETE)
    public SeamResponse delete(SeamRequest request) throws Exception {
        UUID userIdentityId = request.params().requiredUuid("user_identity_id");
        request.params().validate();
        long deadline = System.nanoTime() + consistencyTimeout.toNanos();
        database.inTransaction(tx -> {
            UserIdentity identity = deletable(request.workspaceId(), userIdentityId);
            identityEvents.updated(tx, identity, true, now());
            return null;
        });
        boolean deleted = false;
        try {
            publication.await(deadline);
            fence.await(deadline);
            database.inTransaction(tx -> {
                UserIdentity identity = deletable(request.workspaceId(), userIdentityId);
                links.deleteOf(userIdentityId);
                grants.deleteOf(userIdentityId);
                instantKeys.deleteOf(userIdentityId);
                identities.delete(identity);
                identityEvents.deleted(tx, identity, now());
                return null;
            });
            deleted = true;
        } finally {
            if (!deleted) {
                withdrawDeletion(request.workspaceId(), userIdentityId);
            }
        }
        return SeamResponse.ok();
    }

    /** The identity, locked, if nothing depends on it (as far as the projections know). */
    private UserIdentity deletable(UUID workspaceId, UUID userIdentityId) {
        UserIdentity identity = identities.lock(workspaceId, userIdentityId, null)
                .orElseThrow(() -> SeamException.notFound("user_identity"));
        Dependents left = new Dependents(credentials.ofIdentity(workspaceId, userIdentityId),
                enrollmentAutomations.ofIdentity(workspaceId, userIdentityId), phones.activeOf(workspaceId, userIdentityId));
        if (!left.none()) {
            throw new SeamException(409, "user_identity_in_use", left.refusal());
        }
        return identity;
    }

    /** The deletion was refused (or could not finish): credentials may be created for the identity again. */
    private void withdrawDeletion(UUID workspaceId, UUID userIdentityId) throws Exception {
        database.inTransaction(tx -> {
            Optional<UserIdentity> identity = identities.lock(workspaceId, userIdentityId, null);
            if (identity.isPresent()) {
                identityEvents.updated(tx, identity.get(), false, now());
            }
            return null;
        });
    }

    /** A link that opens a new client session of the identity, which gives the app clip the identity's credentials. */
    @POST
    @Path("/generate_instant_key")
    @SeamAnswer("instant_key")
    public SeamResponse generateInstantKey(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID userIdentityId = params.requiredUuid("user_identity_id");
        UUID customizationProfileId = params.optionalUuid("customization_profile_id");
        Integer maxUseCount = params.optionalInt("max_use_count", 1, 1_000_000);
        params.validate();
        Instant now = now();
        InstantKey key = new InstantKey(UUID.randomUUID(), request.workspaceId(), userIdentityId, UUID.randomUUID(),
                instantKeyUrlBase + randomToken(), maxUseCount == null ? 1 : maxUseCount, now, now.plus(INSTANT_KEY_LIFETIME));
        database.inTransaction(tx -> {
            identities.find(request.workspaceId(), userIdentityId, null)
                    .orElseThrow(() -> SeamException.notFound("user_identity"));
            if (customizationProfileId != null) {
                // Lockstep has no customization profiles, so every id names one that does not exist.
                throw SeamException.notFound("customization_profile");
            }
            instantKeys.persist(key);
            return null;
        });
        return SeamResponse.of("instant_key", InstantKeyJson.of(key));
    }

    /** 128 random bits, URL-safe. */
    private static String randomToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
