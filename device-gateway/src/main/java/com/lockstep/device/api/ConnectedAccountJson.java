package com.lockstep.device.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.kit.api.SeamJson;

/** Seam's {@code connected_account} object. */
final class ConnectedAccountJson {

    private ConnectedAccountJson() {
    }

    static ObjectNode of(ConnectedAccount account) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("connected_account_id", account.connectedAccountId().toString());
        json.put("account_type", account.accountType());
        json.put("account_type_display_name", account.accountTypeDisplayName());
        json.put("display_name", account.displayName());
        json.put("image_url", account.imageUrl());
        ArrayNode capabilities = json.putArray("accepted_capabilities");
        account.acceptedCapabilities().forEach(capabilities::add);
        json.put("automatically_manage_new_devices", account.automaticallyManageNewDevices());
        json.set("custom_metadata", account.customMetadata());
        json.set("errors", account.errors());
        json.set("warnings", account.warnings());
        json.put("created_at", SeamJson.timestamp(account.createdAt()));
        return json;
    }
}
