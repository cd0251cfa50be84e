package com.lockstep.device.view;

import com.lockstep.device.domain.DeviceFilter;
import com.lockstep.kit.api.PageCursor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The view's list order and keyset pages are PostgreSQL's: UUIDs compared as unsigned bytes, timestamps to the microsecond. */
class WorkspaceDevicesTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123456Z");
    private static final DeviceFilter ALL = new DeviceFilter(null, null, null, null, null, null, null, null, null, false);

    private static ViewedDevice device(String id, Instant createdAt, String type, Set<String> trueFields) {
        return new ViewedDevice(UUID.fromString(id), createdAt, UUID.randomUUID(), type, "Door " + id.charAt(0), "yale",
                trueFields, ("{\"device_id\":\"" + id + "\"}").getBytes(), null);
    }

    /** Newest first, then by device_id descending as PostgreSQL orders UUIDs. */
    private static List<ViewedDevice> inPostgresOrder(List<ViewedDevice> devices) {
        List<ViewedDevice> sorted = new ArrayList<>(devices);
        sorted.sort(Comparator.comparing(ViewedDevice::createdAt)
                .thenComparing(ViewedDevice::deviceId, WorkspaceDevices::compareAsPostgres).reversed());
        return sorted;
    }

    @Test
    void uuidsCompareAsUnsignedBytes() {
        UUID low = UUID.fromString("00000000-0000-4000-8000-000000000000");
        UUID high = UUID.fromString("f0000000-0000-4000-8000-000000000000");
        assertThat(low.compareTo(high)).as("Java compares signed").isPositive();
        assertThat(WorkspaceDevices.compareAsPostgres(low, high)).isNegative();
        assertThat(WorkspaceDevices.compareAsPostgres(UUID.fromString("00000000-0000-4000-8000-000000000001"),
                UUID.fromString("00000000-0000-4000-f000-000000000000"))).isNegative();
    }

    @Test
    void keysetPagesWalkEveryDeviceOnceAcrossEqualTimestamps() {
        List<ViewedDevice> devices = new ArrayList<>();
        String[] ids = {"0a000000-0000-4000-8000-000000000000", "7f000000-0000-4000-8000-000000000000",
                "80000000-0000-4000-8000-000000000000", "ff000000-0000-4000-8000-000000000000",
                "c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-f000-000000000000"};
        for (int i = 0; i < ids.length; i++) {
            devices.add(device(ids[i], i < 4 ? AT : AT.minusSeconds(i), "yale_lock", Set.of()));
        }
        List<ViewedDevice> ordered = inPostgresOrder(devices);
        WorkspaceDevices held = WorkspaceDevices.of(ordered, 0);
        for (int limit = 1; limit <= 7; limit++) {
            List<UUID> walked = new ArrayList<>();
            PageCursor cursor = null;
            while (true) {
                List<ViewedDevice> page = held.page(ALL, cursor, limit);
                page.stream().limit(limit).forEach(d -> walked.add(d.deviceId()));
                if (page.size() <= limit) {
                    break;
                }
                ViewedDevice last = page.get(limit - 1);
                cursor = new PageCursor(last.createdAt(), last.deviceId());
            }
            assertThat(walked).as("limit %d", limit).containsExactlyElementsOf(ordered.stream().map(ViewedDevice::deviceId).toList());
        }
    }

    @Test
    void filtersCompareFieldsExactly() {
        ViewedDevice lock = device("1a000000-0000-4000-8000-000000000000", AT, "yale_lock", Set.of("can_remotely_lock"));
        ViewedDevice thermostat = device("2a000000-0000-4000-8000-000000000000", AT.minusMillis(1), "ecobee_thermostat",
                Set.of("can_hvac_heat"));
        WorkspaceDevices held = WorkspaceDevices.of(List.of(lock, thermostat), 0);

        assertThat(held.page(new DeviceFilter(null, List.of("ecobee_thermostat"), null, null, null, null, null, null, null, false), null, 10))
                .containsExactly(thermostat);
        assertThat(held.page(new DeviceFilter(null, null, null, null, null, null, List.of("can_remotely_lock"), null, null, false), null, 10))
                .containsExactly(lock);
        assertThat(held.page(new DeviceFilter(null, null, null, null, null, null, null, List.of("can_remotely_lock"), null, false), null, 10))
                .containsExactly(thermostat);
        assertThat(held.page(new DeviceFilter(null, null, "yale", List.of(thermostat.deviceId()), null, null, null, null, null, false), null, 10))
                .containsExactly(thermostat);
        assertThat(held.page(new DeviceFilter(null, null, null, null, null, null, null, null, null, true), null, 10)).isEmpty();
        // created_before compares to the microsecond, as the driver rounds the parameter.
        assertThat(held.page(new DeviceFilter(null, null, null, null, AT, null, null, null, null, false), null, 10)).containsExactly(thermostat);
        assertThat(held.page(new DeviceFilter(null, null, null, null, AT.plusNanos(400), null, null, null, null, false), null, 10))
                .containsExactly(thermostat);
        assertThat(held.page(new DeviceFilter(null, null, null, null, AT.plusNanos(500), null, null, null, null, false), null, 10))
                .containsExactly(lock, thermostat);
        assertThat(WorkspaceDevices.canFilter(new DeviceFilter(null, null, null, null, null, Map.of("unit", "4B"), null, null, null, false)))
                .isFalse();
        assertThat(WorkspaceDevices.canFilter(new DeviceFilter(null, null, null, null, null, null, null, null, "door", false))).isFalse();
    }

    @Test
    void getFindsByIdAndTheNewestOfAName() {
        ViewedDevice newer = device("1a000000-0000-4000-8000-000000000000", AT, "yale_lock", Set.of());
        ViewedDevice older = device("1b000000-0000-4000-8000-000000000000", AT.minusSeconds(1), "yale_lock", Set.of());
        WorkspaceDevices held = WorkspaceDevices.of(List.of(newer, older), 0);
        assertThat(held.byId(older.deviceId())).isSameAs(older);
        assertThat(held.newestNamed("Door 1")).isSameAs(newer);
        assertThat(held.byId(UUID.randomUUID())).isNull();
        assertThat(WorkspaceDevices.tooLarge(0).complete()).isFalse();
    }
}
