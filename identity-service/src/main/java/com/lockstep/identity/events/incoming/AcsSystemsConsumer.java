package com.lockstep.identity.events.incoming;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.events.acs_system.AcsSystemAdded;
import com.lockstep.events.acs_system.AcsSystemConnected;
import com.lockstep.events.acs_system.AcsSystemDisconnected;
import com.lockstep.identity.store.AcsSystemRepository;
import com.lockstep.kit.api.SeamJson;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.json.SeamRecordJson;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.avro.generic.IndexedRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static com.lockstep.kit.events.inbox.EventFields.uuid;

/**
 * ACS systems from device-gateway's acs_system events, kept as Seam's acs_system object: what
 * list_acs_systems returns, and which systems create's acs_system_ids may name. A disconnection
 * brings the errors and warnings it reports; a connection clears them.
 */
@ApplicationScoped
public class AcsSystemsConsumer {

    public static final String CONSUMER_GROUP = "identity-service.acs-systems";
    static final String CHANNEL = "acs-systems";

    /** Seam's display names of its ACS system types. */
    private static final Map<String, String> DISPLAY_NAMES = Map.ofEntries(
            Map.entry("pti_site", "PTI site"),
            Map.entry("avigilon_alta_org", "Avigilon Alta organization"),
            Map.entry("salto_ks_site", "Salto KS site"),
            Map.entry("salto_space_system", "Salto Space system"),
            Map.entry("brivo_account", "Brivo account"),
            Map.entry("hid_credential_manager_organization", "HID Credential Manager organization"),
            Map.entry("visionline_system", "Visionline system"),
            Map.entry("assa_abloy_credential_service", "ASSA ABLOY Credential Service"),
            Map.entry("latch_building", "Latch building"),
            Map.entry("dormakaba_community_site", "dormakaba Community site"),
            Map.entry("dormakaba_ambiance_site", "dormakaba Ambiance site"),
            Map.entry("legic_connect_credential_service", "LEGIC Connect Credential Service"),
            Map.entry("assa_abloy_vostio", "ASSA ABLOY Vostio system"),
            Map.entry("assa_abloy_vostio_credential_service", "ASSA ABLOY Vostio Credential Service"),
            Map.entry("hotek_site", "Hotek site"),
            Map.entry("kisi_organization", "Kisi organization"));

    private final Inbox inbox;
    private final EventSubscription subscription;

    AcsSystemsConsumer(Inbox inbox, AcsSystemRepository systems) {
        this.inbox = inbox;
        this.subscription = EventSubscription.of(CONSUMER_GROUP, Topics.ACS_SYSTEM_EVENTS)
                .on(AcsSystemAdded.class, (tx, added) -> systems.added(uuid("acs_system_id", added.getAcsSystemId()),
                        uuid("workspace_id", added.getWorkspaceId()), acsSystemObject(added)))
                .on(AcsSystemDisconnected.class, (tx, disconnected) -> systems.setHealth(
                        uuid("acs_system_id", disconnected.getAcsSystemId()),
                        json(disconnected.getAcsSystemErrors()), json(disconnected.getAcsSystemWarnings())))
                .on(AcsSystemConnected.class, (tx, connected) -> systems.setHealth(
                        uuid("acs_system_id", connected.getAcsSystemId()),
                        JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.arrayNode()))
                .rebuiltBy(tx -> systems.clear());
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
    EventSubscription subscription() {
        return subscription;
    }

    private static ObjectNode acsSystemObject(AcsSystemAdded added) {
        String connectedAccountId = uuid("connected_account_id", added.getConnectedAccountId()).toString();
        String type = added.getExternalType();
        String displayName = DISPLAY_NAMES.getOrDefault(type, type);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("acs_system_id", added.getAcsSystemId());
        json.put("workspace_id", added.getWorkspaceId());
        json.put("name", added.getName());
        json.put("created_at", SeamJson.timestamp(added.getOccurredAt()));
        json.put("is_credential_manager", added.getIsCredentialManager());
        json.put("external_type", type);
        json.put("external_type_display_name", displayName);
        json.put("system_type", type);
        json.put("system_type_display_name", displayName);
        json.put("connected_account_id", connectedAccountId);
        json.putArray("connected_account_ids").add(connectedAccountId);
        json.put("image_url", "https://connect.getseam.com/assets/images/acs_systems/" + type + ".png");
        json.put("image_alt_text", displayName + " Logo");
        json.putObject("location").putNull("time_zone");
        json.putArray("errors");
        json.putArray("warnings");
        return json;
    }

    private static ArrayNode json(List<? extends IndexedRecord> records) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        records.forEach(record -> array.add(SeamRecordJson.toJson(record)));
        return array;
    }
}
