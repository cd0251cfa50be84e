package com.lockstep.device.store;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.kit.db.LikePattern;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Access control systems in device-gateway's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class AcsSystemRepository implements PanacheRepositoryBase<AcsSystem, UUID> {

    public Optional<AcsSystem> find(UUID workspaceId, UUID acsSystemId) {
        return findByIdOptional(acsSystemId).filter(system -> system.workspaceId().equals(workspaceId));
    }

    /**
     * Locks the system's row, so its events are written in the order its changes commit; the
     * system's first read in its transaction (a system already loaded keeps the state it was read with).
     */
    public Optional<AcsSystem> lock(UUID workspaceId, UUID acsSystemId) {
        return find("acsSystemId = ?1 and workspaceId = ?2", acsSystemId, workspaceId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .singleResultOptional();
    }

    /**
     * The workspace's systems, newest first; {@code search} matches the name anywhere or the id's
     * prefix (Seam's partial match).
     */
    public List<AcsSystem> list(UUID workspaceId, UUID connectedAccountId, String search) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (connectedAccountId != null) {
            query.append(" and connectedAccountId = :account");
            parameters.and("account", connectedAccountId);
        }
        if (search != null) {
            query.append(" and (name ilike :contains " + LikePattern.ESCAPE + " or cast(acsSystemId as String) like :prefix "
                    + LikePattern.ESCAPE + ")");
            parameters.and("contains", LikePattern.containing(search)).and("prefix", LikePattern.startingWith(search.toLowerCase()));
        }
        query.append(" order by createdAt desc, acsSystemId desc");
        return find(query.toString(), parameters).list();
    }
}
