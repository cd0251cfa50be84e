package com.lockstep.device.store;

import com.lockstep.device.domain.ConnectedAccount;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/** Connected accounts in device-gateway's database. Every query is scoped to one workspace. */
@ApplicationScoped
public class ConnectedAccountRepository implements PanacheRepositoryBase<ConnectedAccount, UUID> {

    public Optional<ConnectedAccount> find(UUID workspaceId, UUID connectedAccountId) {
        return findByIdOptional(connectedAccountId).filter(account -> account.workspaceId().equals(workspaceId));
    }
}
