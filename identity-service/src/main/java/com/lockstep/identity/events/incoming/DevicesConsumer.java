package com.lockstep.identity.events.incoming;

import com.lockstep.identity.store.DeviceRepository;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.inbox.StateSubscription;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.json.SeamRecordJson;
import com.lockstep.state.device.DeviceState;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Every device's full Seam object, from device-gateway's compacted device state topic: what
 * list_accessible_devices returns, and which devices access can be granted to. A tombstone
 * (the device was removed) deletes it; grants to it stay but list nothing.
 */
@ApplicationScoped
public class DevicesConsumer {

    public static final String CONSUMER_GROUP = "identity-service.devices";
    static final String CHANNEL = "devices";
    private static final Logger LOG = Logger.getLogger(DevicesConsumer.class);

    private final Inbox inbox;
    private final DeviceRepository devices;
    private final StateSubscription subscription;

    DevicesConsumer(Inbox inbox, DeviceRepository devices) {
        this.inbox = inbox;
        this.devices = devices;
        this.subscription = StateSubscription.of(CONSUMER_GROUP, Topics.DEVICE_STATE, this::apply).rebuiltBy(tx -> devices.clear());
    }

    @Incoming(CHANNEL)
    @Blocking(Inbox.WORKERS)
    CompletionStage<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        return inbox.apply(subscription, batch);
    }

    @Produces
    @Identifier(CHANNEL)
    Map<String, Object> channel() {
        return subscription.channelConfiguration();
    }

    @Produces
    StateSubscription subscription() {
        return subscription;
    }

    private void apply(Connection tx, String key, Object state) {
        UUID deviceId = uuidOrNull(key);
        if (deviceId == null) {
            LOG.warnf("Skipping device state with a key that is not a UUID: %s", key);
        } else if (state == null) {
            devices.removed(deviceId);
        } else if (state instanceof DeviceState device && device.getDeviceId().equals(key)
                && uuidOrNull(device.getWorkspaceId()) != null) {
            devices.changed(deviceId, UUID.fromString(device.getWorkspaceId()), SeamRecordJson.toJson(device));
        } else {
            LOG.warnf("Skipping a record on %s that is not a valid state of device %s", Topics.DEVICE_STATE, key);
        }
    }

    private static UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
