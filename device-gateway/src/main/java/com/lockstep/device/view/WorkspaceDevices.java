package com.lockstep.device.view;

import com.lockstep.device.domain.DeviceFilter;
import com.lockstep.kit.api.PageCursor;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One workspace's managed, not removed devices as {@link DeviceView} loaded them in one query:
 * immutable, in the list's order (created_at DESC, device_id DESC, as PostgreSQL orders them).
 * Answers {@code /devices/get} and the filters of {@code /devices/list} that compare fields
 * exactly; {@link #canFilter} says which.
 */
public final class WorkspaceDevices {

    private final List<ViewedDevice> newestFirst;
    private final Map<UUID, ViewedDevice> byId;
    private final Map<String, ViewedDevice> newestByName;
    private final boolean complete;
    final long epoch;
    final long bytes;
    /** The body of {@code /devices/list} without parameters, once a request has rendered it. */
    private volatile Buffer unfilteredList;

    private WorkspaceDevices(List<ViewedDevice> newestFirst, boolean complete, long epoch) {
        this.newestFirst = List.copyOf(newestFirst);
        this.complete = complete;
        this.epoch = epoch;
        Map<UUID, ViewedDevice> ids = new HashMap<>();
        Map<String, ViewedDevice> names = new HashMap<>();
        long size = 0;
        for (ViewedDevice device : this.newestFirst) {
            ids.put(device.deviceId(), device);
            names.putIfAbsent(device.displayName(), device);
            // its JSON, its get body, its part of the unfiltered list body, and the objects around them
            size += 3L * device.json().length + 512;
        }
        this.byId = Map.copyOf(ids);
        this.newestByName = Map.copyOf(names);
        this.bytes = size;
    }

    /** Every device of the workspace, in list order. */
    static WorkspaceDevices of(List<ViewedDevice> newestFirst, long epoch) {
        return new WorkspaceDevices(newestFirst, true, epoch);
    }

    /** A workspace with more devices than the view keeps: reads go to the database. */
    static WorkspaceDevices tooLarge(long epoch) {
        return new WorkspaceDevices(List.of(), false, epoch);
    }

    /** False for a workspace too large to keep: nothing here answers for it. */
    public boolean complete() {
        return complete;
    }

    public ViewedDevice byId(UUID deviceId) {
        return byId.get(deviceId);
    }

    /** The newest device with this display name, as {@code /devices/get} by {@code name} finds it. */
    public ViewedDevice newestNamed(String name) {
        return newestByName.get(name);
    }

    public List<ViewedDevice> all() {
        return newestFirst;
    }

    /** True if {@link #page} can answer this filter; custom metadata and text search are the database's. */
    public static boolean canFilter(DeviceFilter filter) {
        return filter.customMetadataHas() == null && filter.search() == null;
    }

    /**
     * The devices matching {@code filter} after {@code cursor}, in list order, up to
     * {@code limit + 1} (the extra one says another page follows), as DeviceRepository's query returns them.
     */
    public List<ViewedDevice> page(DeviceFilter filter, PageCursor cursor, int limit) {
        if (!canFilter(filter)) {
            throw new IllegalArgumentException("This filter is answered by the database");
        }
        if (filter.matchesNothing()) {
            return List.of();
        }
        Instant createdBefore = filter.createdBefore() == null ? null : Timestamps.asStored(filter.createdBefore());
        Instant cursorAt = cursor == null ? null : Timestamps.asStored(cursor.createdAt());
        List<ViewedDevice> page = new ArrayList<>(Math.min(newestFirst.size(), limit + 1));
        for (ViewedDevice device : newestFirst) {
            if (cursor != null && !before(device, cursorAt, cursor.id())) {
                continue;
            }
            if (matches(device, filter, createdBefore)) {
                page.add(device);
                if (page.size() > limit) {
                    break;
                }
            }
        }
        return Collections.unmodifiableList(page);
    }

    /** The body of {@code /devices/list} without parameters, if a request kept it; null before. */
    public Buffer unfilteredList() {
        return unfilteredList;
    }

    /** Keeps the body of {@code /devices/list} without parameters: these devices never change. */
    public void keepUnfilteredList(Buffer body) {
        unfilteredList = body;
    }

    private static boolean matches(ViewedDevice device, DeviceFilter filter, Instant createdBefore) {
        if (filter.connectedAccountIds() != null && !filter.connectedAccountIds().contains(device.connectedAccountId())) {
            return false;
        }
        if (filter.deviceTypes() != null && !filter.deviceTypes().contains(device.deviceType())) {
            return false;
        }
        if (filter.manufacturer() != null && !filter.manufacturer().equals(device.manufacturer())) {
            return false;
        }
        if (filter.deviceIds() != null && !filter.deviceIds().contains(device.deviceId())) {
            return false;
        }
        if (createdBefore != null && !device.createdAt().isBefore(createdBefore)) {
            return false;
        }
        if (filter.includeIf() != null && !device.trueFields().containsAll(filter.includeIf())) {
            return false;
        }
        if (filter.excludeIf() != null) {
            for (String flag : filter.excludeIf()) {
                if (device.trueFields().contains(flag)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code (created_at, device_id) < (at, id)}, with PostgreSQL's order of UUIDs (their bytes, unsigned). */
    private static boolean before(ViewedDevice device, Instant at, UUID id) {
        int byTime = device.createdAt().compareTo(at);
        if (byTime != 0) {
            return byTime < 0;
        }
        return compareAsPostgres(device.deviceId(), id) < 0;
    }

    /** PostgreSQL compares UUIDs byte by byte, unsigned; {@link UUID#compareTo} compares signed halves. */
    static int compareAsPostgres(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
