package com.lockstep.credential.domain;

import java.util.Map;

/**
 * Seam's brand names of users and credentials, by the ACS system's type. A system type missing
 * here (e.g. a credential service), or not known (yet), has none, and the objects leave the fields out.
 */
public final class SeamExternalTypes {

    private record Names(String type, String displayName) {
    }

    private static final Map<String, Names> USERS = Map.of(
            "pti_site", new Names("pti_user", "PTI User"),
            "brivo_account", new Names("brivo_user", "Brivo User"),
            "hid_credential_manager_organization", new Names("hid_credential_manager_user", "HID Credential Manager User"),
            "salto_ks_site", new Names("salto_site_user", "Salto Site User"),
            "latch_building", new Names("latch_user", "Latch User"),
            "dormakaba_community_site", new Names("dormakaba_community_user", "dormakaba Community User"),
            "salto_space_system", new Names("salto_space_user", "Salto Space User"),
            "avigilon_alta_org", new Names("avigilon_alta_user", "Avigilon Alta User"),
            "kisi_organization", new Names("kisi_user", "Kisi User"));

    private static final Map<String, Names> CREDENTIALS = Map.ofEntries(
            Map.entry("pti_site", new Names("pti_card", "PTI Card")),
            Map.entry("brivo_account", new Names("brivo_credential", "Brivo Credential")),
            Map.entry("hid_credential_manager_organization", new Names("hid_credential", "HID Credential")),
            Map.entry("visionline_system", new Names("visionline_card", "Visionline Card")),
            Map.entry("salto_ks_site", new Names("salto_ks_credential", "Salto KS Credential")),
            Map.entry("assa_abloy_vostio", new Names("assa_abloy_vostio_key", "ASSA ABLOY Vostio Key")),
            Map.entry("salto_space_system", new Names("salto_space_key", "Salto Space Key")),
            Map.entry("latch_building", new Names("latch_access", "Latch Access")),
            Map.entry("dormakaba_ambiance_site", new Names("dormakaba_ambiance_credential", "dormakaba Ambiance Credential")),
            Map.entry("hotek_site", new Names("hotek_card", "Hotek Card")),
            Map.entry("avigilon_alta_org", new Names("avigilon_alta_credential", "Avigilon Alta Credential")),
            Map.entry("kisi_organization", new Names("kisi_credential", "Kisi Credential")));

    private SeamExternalTypes() {
    }

    public static String userType(String systemType) {
        Names names = systemType == null ? null : USERS.get(systemType);
        return names == null ? null : names.type();
    }

    public static String userDisplayName(String systemType) {
        Names names = systemType == null ? null : USERS.get(systemType);
        return names == null ? null : names.displayName();
    }

    public static String credentialType(String systemType) {
        Names names = systemType == null ? null : CREDENTIALS.get(systemType);
        return names == null ? null : names.type();
    }

    public static String credentialDisplayName(String systemType) {
        Names names = systemType == null ? null : CREDENTIALS.get(systemType);
        return names == null ? null : names.displayName();
    }
}
