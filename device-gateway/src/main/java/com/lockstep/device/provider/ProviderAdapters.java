package com.lockstep.device.provider;

import com.lockstep.device.domain.DeviceProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every {@link ProviderAdapter} bean, by name. */
@ApplicationScoped
public class ProviderAdapters {

    private final Map<String, ProviderAdapter> byName = new LinkedHashMap<>();

    public ProviderAdapters(Instance<ProviderAdapter> adapters) {
        for (ProviderAdapter adapter : adapters) {
            if (byName.put(adapter.name(), adapter) != null) {
                throw new IllegalStateException("Two provider adapters are named " + adapter.name());
            }
        }
    }

    /** The adapter a connected account was stored with; one that is gone is a deployment error. */
    public ProviderAdapter named(String name) {
        ProviderAdapter adapter = byName.get(name);
        if (adapter == null) {
            throw new IllegalStateException("No provider adapter named " + name + "; there are " + byName.keySet());
        }
        return adapter;
    }

    /** Every brand some adapter connects, in the adapters' order. */
    public List<DeviceProvider> deviceProviders() {
        return byName.values().stream().flatMap(adapter -> adapter.deviceProviders().stream()).toList();
    }
}
