package com.lockstep.identity.events.incoming;

import com.lockstep.identity.store.DeviceStore;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.KafkaClients;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.json.SeamRecordJson;
import com.lockstep.state.device.DeviceState;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Every device's full Seam object, from device-gateway's compacted device state topic: what
 * list_accessible_devices returns, and which devices access can be granted to. A tombstone
 * (the device was removed) deletes it; grants to it stay but list nothing.
 */
@Singleton
public class DevicesConsumer implements Projection {

    public static final String CONSUMER_GROUP = "identity-service.devices";
    private static final Logger LOG = Logger.getLogger(DevicesConsumer.class);

    private final DeviceStore devices;

    public DevicesConsumer(DeviceStore devices) {
        this.devices = devices;
    }

    @Override
    public String consumerGroup() {
        return CONSUMER_GROUP;
    }

    @Override
    public List<String> topics() {
        return List.of(Topics.DEVICE_STATE);
    }

    @Override
    public AutoCloseable start(KafkaClients clients, Database database) {
        StateTopicConsumer consumer = new StateTopicConsumer(CONSUMER_GROUP, Topics.DEVICE_STATE, this::apply, clients, database);
        consumer.start();
        return consumer;
    }

    private void apply(Connection tx, String key, Object state) throws SQLException {
        UUID deviceId = uuidOrNull(key);
        if (deviceId == null) {
            LOG.warnf("Skipping device state with a key that is not a UUID: %s", key);
        } else if (state == null) {
            devices.delete(tx, deviceId);
        } else if (state instanceof DeviceState device && device.getDeviceId().equals(key)
                && uuidOrNull(device.getWorkspaceId()) != null) {
            devices.upsert(tx, deviceId, UUID.fromString(device.getWorkspaceId()), SeamRecordJson.toJson(device));
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

    @Override
    public void clear(Connection tx) throws SQLException {
        devices.clear(tx);
    }
}
