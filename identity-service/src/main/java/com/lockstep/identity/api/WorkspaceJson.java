package com.lockstep.identity.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.identity.domain.Workspace;

/** Seam's {@code workspace} object. */
final class WorkspaceJson {

    private WorkspaceJson() {
    }

    static ObjectNode of(Workspace workspace) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("workspace_id", workspace.workspaceId().toString());
        json.put("name", workspace.name());
        json.put("company_name", workspace.companyName());
        json.put("connect_partner_name", workspace.companyName());
        json.put("is_sandbox", workspace.sandbox());
        json.put("is_suspended", workspace.suspended());
        json.put("is_publishable_key_auth_enabled", workspace.publishableKeyAuthEnabled());
        json.set("connect_webview_customization", workspace.connectWebviewCustomization());
        json.putNull("organization_id");
        return json;
    }
}
