package com.lockstep.identity.store;

import com.lockstep.identity.domain.AcsUserLink;
import com.lockstep.identity.domain.LinkedAcsUser;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which ACS user belongs to which user identity. Links are made and removed by this repository's
 * statements, whose conditions the database checks on the row as it is; a loaded link is never
 * changed, so one a statement changed since it was loaded in the same session is only read.
 */
@ApplicationScoped
public class AcsUserLinkRepository implements PanacheRepositoryBase<AcsUserLink, UUID> {

    /** The link of an ACS user, whether active or removed. */
    public Optional<AcsUserLink> find(UUID workspaceId, UUID acsUserId) {
        return findByIdOptional(acsUserId).filter(link -> link.workspaceId().equals(workspaceId));
    }

    /**
     * Links the ACS user to the identity, or links again a removed link (to any identity).
     * Returns false when the ACS user has an active link already; a second ACS user of the same
     * ACS system for one identity fails with SQLState 23505.
     */
    public boolean link(UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId, Instant at) {
        // SQL: an upsert decides atomically against a link another transaction makes at the same moment
        // (which a find-then-persist would turn into a primary key violation).
        return insert("INSERT INTO acs_user_link (acs_user_id, workspace_id, user_identity_id, acs_system_id, linked_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (acs_user_id) DO UPDATE SET user_identity_id = EXCLUDED.user_identity_id,"
                + " acs_system_id = EXCLUDED.acs_system_id, linked_at = EXCLUDED.linked_at, removed_at = NULL"
                + " WHERE acs_user_link.removed_at IS NOT NULL", workspaceId, userIdentityId, acsUserId, acsSystemId, at);
    }

    /** Links only an ACS user that was never linked: what an acs_user.created may do, replayed or not. */
    public boolean linkIfNeverLinked(UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId, Instant at) {
        // SQL: ON CONFLICT DO NOTHING gives way to either unique key (the ACS user's, and one ACS user
        // per system for an identity) rather than failing the event, also against a concurrent link.
        return insert("INSERT INTO acs_user_link (acs_user_id, workspace_id, user_identity_id, acs_system_id, linked_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", workspaceId, userIdentityId, acsUserId, acsSystemId, at);
    }

    private boolean insert(String sql, UUID workspaceId, UUID userIdentityId, UUID acsUserId, UUID acsSystemId, Instant at) {
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setObject(1, acsUserId);
                insert.setObject(2, workspaceId);
                insert.setObject(3, userIdentityId);
                insert.setObject(4, acsSystemId);
                insert.setTimestamp(5, Timestamp.from(at));
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** The ACS user the identity has on the ACS system, if any. */
    public Optional<AcsUserLink> activeOn(UUID userIdentityId, UUID acsSystemId) {
        return find("userIdentityId = ?1 and acsSystemId = ?2 and removedAt is null", userIdentityId, acsSystemId)
                .firstResultOptional();
    }

    /** Returns false when the ACS user was not linked to that identity. */
    public boolean unlink(UUID userIdentityId, UUID acsUserId, Instant at) {
        return update("removedAt = ?1 where acsUserId = ?2 and userIdentityId = ?3 and removedAt is null",
                at, acsUserId, userIdentityId) == 1;
    }

    /** A deleted identity's links go with it: one statement. */
    public void deleteOf(UUID userIdentityId) {
        delete("userIdentityId", userIdentityId);
    }

    /** The active links of these identities, oldest first, with each ACS user's profile where known. */
    public List<LinkedAcsUser> linkedAcsUsers(Collection<UUID> userIdentityIds) {
        if (userIdentityIds.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createQuery("select new com.lockstep.identity.domain.LinkedAcsUser(l.userIdentityId,"
                        + " l.acsUserId, l.acsSystemId, l.linkedAt, a.fullName, a.emailAddress, a.phoneNumber)"
                        + " from AcsUserLink l left join AcsUser a on a.acsUserId = l.acsUserId"
                        + " where l.userIdentityId in :identities and l.removedAt is null order by l.linkedAt, l.acsUserId",
                        LinkedAcsUser.class)
                .setParameter("identities", userIdentityIds)
                .getResultList();
    }
}
