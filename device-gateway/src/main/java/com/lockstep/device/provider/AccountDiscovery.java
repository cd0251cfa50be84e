package com.lockstep.device.provider;

import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.domain.Device;

import java.util.List;

/** What a provider reports when an account connects: the account, its devices and its access control systems. */
public record AccountDiscovery(ConnectedAccount account, List<Device> devices, List<AcsSystem> acsSystems) {
}
