package com.lockstep.phone.store;

import com.lockstep.kit.api.PageCursor;
import com.lockstep.phone.domain.Phone;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Phones in phone-service's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class PhoneRepository implements PanacheRepositoryBase<Phone, UUID> {

    public Optional<Phone> findActive(UUID workspaceId, UUID deviceId) {
        return findByIdOptional(deviceId).filter(phone -> phone.workspaceId().equals(workspaceId) && phone.active());
    }

    /** Locks the phone's row, so its events are written in the order they happen. */
    public Optional<Phone> lock(UUID workspaceId, UUID deviceId) {
        return findByIdOptional(deviceId, LockModeType.PESSIMISTIC_WRITE).filter(phone -> phone.workspaceId().equals(workspaceId));
    }

    /**
     * Active phones, newest first, after {@code cursor}; returns up to {@code limit + 1} rows
     * so the caller knows whether another page follows.
     */
    public List<Phone> listActive(UUID workspaceId, UUID ownerUserIdentityId, UUID acsCredentialId, PageCursor cursor, int limit) {
        StringBuilder query = new StringBuilder("workspaceId = :workspace and deactivatedAt is null");
        Parameters parameters = Parameters.with("workspace", workspaceId);
        if (ownerUserIdentityId != null) {
            query.append(" and ownerUserIdentityId = :owner");
            parameters.and("owner", ownerUserIdentityId);
        }
        if (acsCredentialId != null) {
            query.append(" and deviceId in (select c.deviceId from IssuedCredential c"
                    + " where c.workspaceId = :workspace and c.acsCredentialId = :credential)");
            parameters.and("credential", acsCredentialId);
        }
        if (cursor != null) {
            query.append(" and (createdAt, deviceId) < (:cursorCreatedAt, :cursorId)");
            parameters.and("cursorCreatedAt", cursor.createdAt()).and("cursorId", cursor.id());
        }
        query.append(" order by createdAt desc, deviceId desc");
        return find(query.toString(), parameters).range(0, limit).list();
    }
}
