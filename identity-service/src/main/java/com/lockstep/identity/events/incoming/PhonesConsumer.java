package com.lockstep.identity.events.incoming;

import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.identity.store.DependentsStore;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.schemas.Topics;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

import static com.lockstep.kit.events.inbox.EventFields.uuid;

/** Each identity's phones and whether they are deactivated: an active phone keeps the identity from deletion. */
@Singleton
public class PhonesConsumer extends EventProjection {

    public static final String CONSUMER_GROUP = "identity-service.phones";

    private final DependentsStore store;

    public PhonesConsumer(DependentsStore store) {
        super(EventSubscription.of(CONSUMER_GROUP, Topics.PHONE_EVENTS)
                .on(PhoneRegistered.class, (tx, registered) -> store.phoneRegistered(tx,
                        uuid("device_id", registered.getDeviceId()), uuid("workspace_id", registered.getWorkspaceId()),
                        uuid("owner_user_identity_id", registered.getOwnerUserIdentityId())))
                .on(PhoneDeactivated.class, (tx, deactivated) -> store.phoneDeactivated(tx,
                        uuid("device_id", deactivated.getDeviceId()), uuid("workspace_id", deactivated.getWorkspaceId()),
                        uuid("owner_user_identity_id", deactivated.getOwnerUserIdentityId()))));
        this.store = store;
    }

    @Override
    public void clear(Connection tx) throws SQLException {
        store.clearPhones(tx);
    }
}
