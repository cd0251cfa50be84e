package com.lockstep.identity.store;

import com.lockstep.identity.domain.AcsUser;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The projection of ACS users from credential-service's acs_user events. */
@ApplicationScoped
public class AcsUserRepository implements PanacheRepositoryBase<AcsUser, UUID> {

    /** acs_user.created: the ACS user as created, or, for a copy of the event, the fields it carries set again. */
    public void created(AcsUser user) {
        AcsUser known = findById(user.acsUserId());
        if (known == null) {
            persist(user);
        } else {
            known.createdAgain(user);
        }
    }

    public Optional<AcsUser> find(UUID workspaceId, UUID acsUserId) {
        return findByIdOptional(acsUserId).filter(user -> user.workspaceId().equals(workspaceId));
    }

    /**
     * An ACS user of that system, linked to no identity, with this email address (any case) or
     * phone number: the one {@code /user_identities/create} links instead of having one created.
     */
    public Optional<AcsUser> findUnlinkedMatch(UUID workspaceId, UUID acsSystemId, String emailAddress, String phoneNumber) {
        if (emailAddress == null && phoneNumber == null) {
            return Optional.empty();
        }
        return find("from AcsUser a where a.workspaceId = ?1 and a.acsSystemId = ?2"
                        + " and (lower(a.emailAddress) = lower(?3) or a.phoneNumber = ?4)"
                        + " and not exists (select 1 from AcsUserLink l where l.acsUserId = a.acsUserId and l.removedAt is null)"
                        + " order by a.createdAt, a.acsUserId", workspaceId, acsSystemId, emailAddress, phoneNumber)
                .firstResultOptional();
    }

    /**
     * The ACS users linked to the identity, oldest link first. Built as new objects, not managed
     * ones: a read may run again in the request's session once the consumers have caught up, and a
     * query hands back an entity the session already holds with the state it was first loaded with.
     */
    public List<AcsUser> linkedTo(UUID userIdentityId) {
        return getEntityManager().createQuery("select new com.lockstep.identity.domain.AcsUser(a.acsUserId, a.workspaceId,"
                        + " a.acsSystemId, a.connectedAccountId, a.userIdentityId, a.displayName, a.fullName, a.emailAddress,"
                        + " a.phoneNumber, a.suspended, a.accessScheduleStartsAt, a.accessScheduleEndsAt, a.createdAt)"
                        + " from AcsUserLink l join AcsUser a on a.acsUserId = l.acsUserId"
                        + " where l.userIdentityId = :identity and l.removedAt is null order by l.linkedAt, l.acsUserId",
                        AcsUser.class)
                .setParameter("identity", userIdentityId)
                .getResultList();
    }

    public void deleted(UUID acsUserId) {
        deleteById(acsUserId);
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
