package com.lockstep.identity.store;

import com.lockstep.identity.domain.UserIdentity;
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

/** User identities in identity-service's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class UserIdentityRepository implements PanacheRepositoryBase<UserIdentity, UUID> {

    /** The filters of {@code /user_identities/list}; null means not filtered. */
    public record ListFilter(List<UUID> userIdentityIds, String search, Instant createdBefore,
                             UUID credentialManagerAcsSystemId) {
    }

    /** By id, by key, or by both (then both must match). */
    public Optional<UserIdentity> find(UUID workspaceId, UUID userIdentityId, String userIdentityKey) {
        return byIdOrKey(workspaceId, userIdentityId, userIdentityKey).singleResultOptional();
    }

    /** As {@link #find}, taking the row's lock, so the identity's events are written in the order its changes commit. */
    public Optional<UserIdentity> lock(UUID workspaceId, UUID userIdentityId, String userIdentityKey) {
        return byIdOrKey(workspaceId, userIdentityId, userIdentityKey).withLock(LockModeType.PESSIMISTIC_WRITE)
                .singleResultOptional();
    }

    private PanacheQuery<UserIdentity> byIdOrKey(UUID workspaceId, UUID userIdentityId, String userIdentityKey) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (userIdentityId != null) {
            query.append(" and userIdentityId = :id");
            parameters.and("id", userIdentityId);
        }
        if (userIdentityKey != null) {
            query.append(" and userIdentityKey = :key");
            parameters.and("key", userIdentityKey);
        }
        return find(query.toString(), parameters);
    }

    /**
     * Identities newest first, after {@code cursor}; returns up to {@code limit + 1} rows so the
     * caller knows whether another page follows.
     */
    public List<UserIdentity> list(UUID workspaceId, ListFilter filter, PageCursor cursor, int limit) {
        StringBuilder query = new StringBuilder("from UserIdentity u where u.workspaceId = :workspace");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (filter.userIdentityIds() != null) {
            query.append(" and u.userIdentityId in :ids");
            parameters.and("ids", filter.userIdentityIds());
        }
        if (filter.createdBefore() != null) {
            query.append(" and u.createdAt < :createdBefore");
            parameters.and("createdBefore", filter.createdBefore());
        }
        if (filter.search() != null) {
            // Seam: a partial match on full name, phone number, email address or id.
            String like = " ilike :pattern " + LikePattern.ESCAPE;
            query.append(" and (u.fullName" + like + " or u.phoneNumber" + like + " or u.emailAddress" + like
                    + " or cast(u.userIdentityId as String)" + like + ")");
            parameters.and("pattern", LikePattern.containing(filter.search()));
        }
        if (filter.credentialManagerAcsSystemId() != null) {
            query.append(" and exists (select 1 from AcsUserLink l where l.userIdentityId = u.userIdentityId"
                    + " and l.acsSystemId = :acsSystem and l.removedAt is null)");
            parameters.and("acsSystem", filter.credentialManagerAcsSystemId());
        }
        if (cursor != null) {
            query.append(" and (u.createdAt, u.userIdentityId) < (:cursorCreatedAt, :cursorId)");
            parameters.and("cursorCreatedAt", cursor.createdAt()).and("cursorId", cursor.id());
        }
        query.append(" order by u.createdAt desc, u.userIdentityId desc");
        return find(query.toString(), parameters).range(0, limit).list();
    }
}
