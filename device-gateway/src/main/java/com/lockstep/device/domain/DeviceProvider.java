package com.lockstep.device.domain;

import java.util.List;
import java.util.Set;

/**
 * A brand Lockstep can connect devices of (Seam's {@code device_provider}), with the capabilities
 * its devices have: the {@code can_*} flags that are true.
 */
public record DeviceProvider(String deviceProviderName, String displayName, String imageUrl,
                             List<String> providerCategories, Set<String> capabilities) {
}
