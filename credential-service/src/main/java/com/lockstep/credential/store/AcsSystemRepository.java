package com.lockstep.credential.store;

import com.lockstep.credential.domain.AcsSystem;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/** ACS systems, a projection of device-gateway's acs_system events. */
@ApplicationScoped
public class AcsSystemRepository implements PanacheRepositoryBase<AcsSystem, UUID> {

    public void added(AcsSystem added) {
        AcsSystem known = findById(added.acsSystemId());
        if (known == null) {
            persist(added);
        } else {
            known.addedAgain(added);
        }
    }

    public Optional<AcsSystem> find(UUID workspaceId, UUID acsSystemId) {
        return findByIdOptional(acsSystemId).filter(system -> system.workspaceId().equals(workspaceId));
    }

    /** Empties the projection, before a replay rebuilds it. */
    public void clear() {
        deleteAll();
    }
}
