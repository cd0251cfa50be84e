package com.lockstep.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every service the local platform runs, in start order: adding one is one line here. */
public final class Services {

    /** The service that owns workspaces, API keys and the admin API. */
    public static final String IDENTITY = "identity-service";

    /** The service that owns devices and ACS systems, and provisions sandbox workspaces. */
    public static final String DEVICE_GATEWAY = "device-gateway";

    private static final List<ServiceSpec> TABLE = new ArrayList<>();

    static {
        //      name                  module directory      paths it serves                                         database              a GET that needs only an API key
        service(IDENTITY,             "identity-service",   List.of("/workspaces/", "/user_identities/", "/admin/"), "identity_service",   "/workspaces/get");
        service("phone-service",      "phone-service",      List.of("/phones/", "/admin/phone_service/"),           "phone_service",      "/phones/list");
        service(DEVICE_GATEWAY,       "device-gateway",     List.of("/devices/", "/acs/systems/", "/admin/sandbox/", "/admin/device_gateway/"), "device_gateway",     "/devices/list");
        service("credential-service", "credential-service", List.of("/acs/users/", "/acs/credentials/", "/admin/credential_service/"), "credential_service", "/acs/credentials/list");
    }

    /** The table above. */
    public static final List<ServiceSpec> ALL = List.copyOf(TABLE);

    private Services() {
    }

    public static Optional<ServiceSpec> named(String name) {
        return ALL.stream().filter(service -> service.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(ServiceSpec::name).toList();
    }

    private static void service(String name, String moduleDirectory, List<String> pathPrefixes, String database,
                                String keyProbePath) {
        TABLE.add(new ServiceSpec(name, moduleDirectory, pathPrefixes, database, keyProbePath));
    }
}
