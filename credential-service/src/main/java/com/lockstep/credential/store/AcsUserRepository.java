package com.lockstep.credential.store;

import com.lockstep.credential.domain.AcsUser;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.kit.db.LikePattern;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** ACS users in credential-service's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class AcsUserRepository implements PanacheRepositoryBase<AcsUser, UUID> {

    /** Filters of {@code /acs/users/list}; null means not filtered. */
    public record Filter(UUID acsSystemId, UUID userIdentityId, String userIdentityEmailAddress,
                         String userIdentityPhoneNumber, String search, Instant createdBefore) {
    }

    /** Flushed at once: a second ACS user of an identity on a system (unique index) fails here, as its INSERT did. */
    public void insert(AcsUser user) {
        persistAndFlush(user);
    }

    /** An ACS user that is not deleted. */
    public Optional<AcsUser> find(UUID workspaceId, UUID acsUserId) {
        return findByIdOptional(acsUserId).filter(user -> user.liveIn(workspaceId));
    }

    /** An ACS user that is not deleted, its row locked. */
    public Optional<AcsUser> lock(UUID workspaceId, UUID acsUserId) {
        return findByIdOptional(acsUserId, LockModeType.PESSIMISTIC_WRITE).filter(user -> user.liveIn(workspaceId));
    }

    /**
     * Locks the row of a user this transaction read unlocked and reads it again, as it is now;
     * false if it was deleted meanwhile.
     */
    public boolean relock(AcsUser user) {
        getEntityManager().refresh(user, LockModeType.PESSIMISTIC_WRITE);
        return !user.deleted();
    }

    /** The ACS user a user identity has on an ACS system, if any; {@code lock} takes its row lock. */
    public Optional<AcsUser> findOfIdentity(UUID workspaceId, UUID userIdentityId, UUID acsSystemId, boolean lock) {
        PanacheQuery<AcsUser> query = find("workspaceId = ?1 and userIdentityId = ?2 and acsSystemId = ?3 and deletedAt is null",
                workspaceId, userIdentityId, acsSystemId);
        return (lock ? query.withLock(LockModeType.PESSIMISTIC_WRITE) : query).singleResultOptional();
    }

    /** Up to {@code limit + 1} ACS users, newest first, after {@code cursor}. */
    public List<AcsUser> list(UUID workspaceId, Filter filter, PageCursor cursor, int limit) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace and deletedAt is null");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (filter.acsSystemId() != null) {
            query.append(" and acsSystemId = :system");
            parameters.and("system", filter.acsSystemId());
        }
        if (filter.userIdentityId() != null) {
            query.append(" and userIdentityId = :identity");
            parameters.and("identity", filter.userIdentityId());
        }
        if (filter.userIdentityEmailAddress() != null) {
            query.append(" and userIdentityId in (select i.userIdentityId from UserIdentity i"
                    + " where lower(i.emailAddress) = lower(:identityEmail))");
            parameters.and("identityEmail", filter.userIdentityEmailAddress());
        }
        if (filter.userIdentityPhoneNumber() != null) {
            query.append(" and userIdentityId in (select i.userIdentityId from UserIdentity i where i.phoneNumber = :identityPhone)");
            parameters.and("identityPhone", filter.userIdentityPhoneNumber());
        }
        if (filter.search() != null) {
            String like = " ilike :like " + LikePattern.ESCAPE;
            query.append(" and (fullName" + like + " or emailAddress" + like + " or phoneNumber" + like
                    + " or cast(acsUserId as String) = :search)");
            parameters.and("like", LikePattern.containing(filter.search())).and("search", filter.search());
        }
        if (filter.createdBefore() != null) {
            query.append(" and createdAt < :createdBefore");
            parameters.and("createdBefore", filter.createdBefore());
        }
        if (cursor != null) {
            query.append(" and (createdAt, acsUserId) < (:cursorCreatedAt, :cursorId)");
            parameters.and("cursorCreatedAt", cursor.createdAt()).and("cursorId", cursor.id());
        }
        query.append(" order by createdAt desc, acsUserId desc");
        return find(query.toString(), parameters).range(0, limit).list();
    }

    /** Whether the ACS user is suspended; its credentials are then held back. */
    public boolean isSuspended(UUID acsUserId) {
        return findByIdOptional(acsUserId).map(AcsUser::suspended).orElse(false);
    }

}
