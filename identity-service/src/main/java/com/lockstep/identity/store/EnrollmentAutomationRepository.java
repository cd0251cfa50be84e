package com.lockstep.identity.store;

import com.lockstep.identity.domain.EnrollmentAutomation;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The enrollment automation projection: what keeps an identity from deletion through its automations. */
@ApplicationScoped
public class EnrollmentAutomationRepository implements PanacheRepositoryBase<EnrollmentAutomation, UUID> {

    public void launched(UUID enrollmentAutomationId, UUID workspaceId, UUID userIdentityId) {
        if (findById(enrollmentAutomationId) == null) {
            persist(new EnrollmentAutomation(enrollmentAutomationId, workspaceId, userIdentityId));
        }
    }

    public void deleted(UUID enrollmentAutomationId) {
        deleteById(enrollmentAutomationId);
    }

    public List<UUID> ofIdentity(UUID workspaceId, UUID userIdentityId) {
        return getEntityManager().createQuery("select e.enrollmentAutomationId from EnrollmentAutomation e"
                        + " where e.workspaceId = :workspace and e.userIdentityId = :identity order by e.enrollmentAutomationId", UUID.class)
                .setParameter("workspace", workspaceId)
                .setParameter("identity", userIdentityId)
                .getResultList();
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
