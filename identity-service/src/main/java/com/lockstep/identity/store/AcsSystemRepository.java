package com.lockstep.identity.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.AcsSystem;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The projection of ACS systems: each one's Seam object, from device-gateway's acs_system events. */
@ApplicationScoped
public class AcsSystemRepository implements PanacheRepositoryBase<AcsSystem, UUID> {

    public void added(UUID acsSystemId, UUID workspaceId, ObjectNode acsSystem) {
        AcsSystem system = findById(acsSystemId);
        if (system == null) {
            persist(new AcsSystem(acsSystemId, workspaceId, acsSystem));
        } else {
            system.addedAgain(acsSystem);
        }
    }

    /** Replaces the system's errors and warnings; a system not known yet is left alone. */
    public void setHealth(UUID acsSystemId, ArrayNode errors, ArrayNode warnings) {
        findByIdOptional(acsSystemId).ifPresent(system -> system.health(errors, warnings));
    }

    /** Which of {@code acsSystemIds} the workspace has. */
    public Set<UUID> existing(UUID workspaceId, Collection<UUID> acsSystemIds) {
        return new HashSet<>(getEntityManager().createQuery("select s.acsSystemId from AcsSystem s"
                        + " where s.workspaceId = :workspace and s.acsSystemId in :ids", UUID.class)
                .setParameter("workspace", workspaceId)
                .setParameter("ids", acsSystemIds)
                .getResultList());
    }

    /** The systems of the ACS users linked to the identity, in acs_system_id order. */
    public List<ObjectNode> ofIdentity(UUID userIdentityId) {
        return getEntityManager().createQuery("select s.acsSystem from AcsSystem s where s.acsSystemId in"
                        + " (select l.acsSystemId from AcsUserLink l where l.userIdentityId = :identity and l.removedAt is null)"
                        + " order by s.acsSystemId", ObjectNode.class)
                .setParameter("identity", userIdentityId)
                .getResultList();
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
