package com.lockstep.identity.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What keeps a user identity from being deleted (Seam's rule): its credentials (its own, or of
 * its ACS users), its enrollment automations, and its phones that are not deactivated.
 */
public record Dependents(List<UUID> acsCredentialIds, List<UUID> enrollmentAutomationIds, List<UUID> activePhoneIds) {

    public boolean none() {
        return acsCredentialIds.isEmpty() && enrollmentAutomationIds.isEmpty() && activePhoneIds.isEmpty();
    }

    /** Names everything that is left, and what to do about it. */
    public String refusal() {
        List<String> left = new ArrayList<>();
        if (!acsCredentialIds.isEmpty()) {
            left.add(count(acsCredentialIds, "credential") + " (acs_credential_id " + ids(acsCredentialIds) + ")");
        }
        if (!enrollmentAutomationIds.isEmpty()) {
            left.add(count(enrollmentAutomationIds, "enrollment automation") + " (enrollment_automation_id "
                    + ids(enrollmentAutomationIds) + ")");
        }
        if (!activePhoneIds.isEmpty()) {
            left.add(count(activePhoneIds, "phone") + " not deactivated (device_id " + ids(activePhoneIds) + ")");
        }
        return "User identity still has " + String.join(", ", left)
                + ": delete its credentials and enrollment automations and deactivate its phones first";
    }

    private static String count(List<UUID> ids, String noun) {
        return ids.size() + " " + noun + (ids.size() == 1 ? "" : "s");
    }

    private static String ids(List<UUID> ids) {
        return String.join(", ", ids.stream().map(UUID::toString).toList());
    }
}
