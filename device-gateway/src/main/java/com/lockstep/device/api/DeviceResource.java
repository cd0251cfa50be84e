package com.lockstep.device.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.domain.Device;
import com.lockstep.device.domain.DeviceFilter;
import com.lockstep.device.events.outgoing.DeviceEvents;
import com.lockstep.device.provider.ProviderAdapter;
import com.lockstep.device.provider.ProviderAdapters;
import com.lockstep.device.store.ConnectedAccountRepository;
import com.lockstep.device.store.DeviceRepository;
import com.lockstep.device.view.DeviceView;
import com.lockstep.device.view.ViewedDevice;
import com.lockstep.device.view.WorkspaceDevices;
import com.lockstep.kit.api.ConsistentCalls;
import com.lockstep.kit.api.Page;
import com.lockstep.kit.api.PageCursor;
import com.lockstep.kit.api.Params;
import com.lockstep.kit.api.RenderedJson;
import com.lockstep.kit.api.SdkMethod;
import com.lockstep.kit.api.SeamAnswer;
import com.lockstep.kit.api.SeamApi;
import com.lockstep.kit.api.SeamException;
import com.lockstep.kit.api.SeamRequest;
import com.lockstep.kit.api.SeamResponse;
import com.lockstep.kit.db.Database;
import com.lockstep.state.device.DeviceState;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code /devices/*}, as Seam serves them. */
@Path("/devices")
@SeamApi
public class DeviceResource {

    /** Seam's limits on custom metadata. */
    static final int MAX_METADATA_KEYS = 50;
    static final int MAX_METADATA_VALUE_LENGTH = 500;

    private final Database database;
    private final DeviceRepository devices;
    private final ConnectedAccountRepository accounts;
    private final ProviderAdapters adapters;
    private final DeviceView view;
    private final DeviceEvents deviceEvents;
    private final ConsistentCalls consistentCalls;

    public DeviceResource(Database database, DeviceRepository devices, ConnectedAccountRepository accounts, ProviderAdapters adapters,
                          DeviceView view, DeviceEvents deviceEvents, ConsistentCalls consistentCalls) {
        this.database = database;
        this.devices = devices;
        this.accounts = accounts;
        this.adapters = adapters;
        this.view = view;
        this.deviceEvents = deviceEvents;
        this.consistentCalls = consistentCalls;
    }

    private record GetQuery(UUID deviceId, String name) {
    }

    private record ListQuery(DeviceFilter filter, int limit, PageCursor cursor) {
    }

    /** By {@code device_id}, or else by {@code name} (the display name). */
    private static GetQuery getQuery(Params params) {
        UUID deviceId = params.optionalUuid("device_id");
        String name = params.optionalString("name");
        params.validate();
        if (deviceId == null && name == null) {
            ObjectNode errors = JsonNodeFactory.instance.objectNode();
            errors.putArray("_errors").add("Must specify either device_id or name");
            throw SeamException.invalidInput("Must specify either device_id or name", errors);
        }
        return new GetQuery(deviceId, name);
    }

    /** On the event loop: from the view, if it holds the workspace's devices; else on a worker thread. */
    @POST
    @Path("/get")
    @SeamAnswer("device")
    @SdkMethod(HttpMethod.GET)
    @NonBlocking
    public Uni<SeamResponse> get(SeamRequest request) {
        WorkspaceDevices held = view.current(request.workspaceId());
        if (held == null || !held.complete()) {
            return consistentCalls.onWorker(request, this::getOnWorker);
        }
        return Uni.createFrom().item(get(held, getQuery(request.params())));
    }

    private SeamResponse getOnWorker(SeamRequest request) throws Exception {
        GetQuery query = getQuery(request.params());
        Optional<WorkspaceDevices> held = view.load(request.workspaceId());
        if (held.isPresent()) {
            return get(held.get(), query);
        }
        Optional<Device> device = database.read(() -> query.deviceId() != null
                ? devices.findManaged(request.workspaceId(), query.deviceId())
                : devices.findManagedByName(request.workspaceId(), query.name()));
        return SeamResponse.of("device", device.orElseThrow(() -> SeamException.notFound("device")).json());
    }

    private static SeamResponse get(WorkspaceDevices held, GetQuery query) {
        ViewedDevice device = query.deviceId() != null ? held.byId(query.deviceId()) : held.newestNamed(query.name());
        if (device == null) {
            throw SeamException.notFound("device");
        }
        return SeamResponse.rendered(device.getResponse());
    }

    private static ListQuery listQuery(Params params) {
        DeviceFilter filter = filter(params);
        int limit = Page.limit(params);
        PageCursor cursor = PageCursor.read(params);
        params.validate();
        return new ListQuery(filter, limit, cursor);
    }

    /**
     * On the event loop: from the view, if it holds the workspace's devices and can apply the filter;
     * else on a worker thread.
     */
    @POST
    @Path("/list")
    @SeamAnswer(value = "devices", list = true, paginated = true)
    @SdkMethod(HttpMethod.GET)
    @NonBlocking
    public Uni<SeamResponse> list(SeamRequest request) {
        WorkspaceDevices held = view.current(request.workspaceId());
        if (held != null && held.complete()) {
            ListQuery query = listQuery(request.params());
            if (WorkspaceDevices.canFilter(query.filter())) {
                return Uni.createFrom().item(list(held, query, request));
            }
        }
        return consistentCalls.onWorker(request, this::listOnWorker);
    }

    private SeamResponse listOnWorker(SeamRequest request) throws Exception {
        ListQuery query = listQuery(request.params());
        if (WorkspaceDevices.canFilter(query.filter())) {
            Optional<WorkspaceDevices> held = view.load(request.workspaceId());
            if (held.isPresent()) {
                return list(held.get(), query, request);
            }
        }
        List<DeviceRepository.StoredDevice> rows = database.read(() ->
                devices.listManaged(request.workspaceId(), query.filter(), query.cursor(), query.limit()));
        return Page.response("devices", rows, query.limit(), request, DeviceRepository.StoredDevice::device,
                row -> new PageCursor(row.createdAt(), row.deviceId()));
    }

    /** A page from the view; the whole list without parameters is rendered once per version of the workspace's devices. */
    private static SeamResponse list(WorkspaceDevices held, ListQuery query, SeamRequest request) {
        boolean unfiltered = request.params().raw().isEmpty();
        if (unfiltered && held.unfilteredList() != null) {
            return SeamResponse.rendered(held.unfilteredList());
        }
        List<ViewedDevice> rows = held.page(query.filter(), query.cursor(), query.limit());
        if (unfiltered && rows.size() <= query.limit()) {
            Buffer body = RenderedJson.shared(Page.renderedBody("devices", rows, query.limit(), request, ViewedDevice::json,
                    DeviceResource::cursorOf));
            held.keepUnfilteredList(body);
            return SeamResponse.rendered(body);
        }
        return Page.rendered("devices", rows, query.limit(), request, ViewedDevice::json, DeviceResource::cursorOf);
    }

    private static PageCursor cursorOf(ViewedDevice device) {
        return new PageCursor(device.createdAt(), device.deviceId());
    }

    /**
     * Seam's filters. Filters by what no Lockstep device has (a Connect Webview, a customer, a space,
     * a user identifier key) are read and checked, and match nothing.
     */
    private static DeviceFilter filter(Params params) {
        UUID connectedAccountId = params.optionalUuid("connected_account_id");
        List<UUID> connectedAccountIds = params.optionalUuidList("connected_account_ids");
        String deviceType = SeamVocabulary.optionalEnum(params, "device_type", SeamVocabulary.DEVICE_TYPES);
        List<String> deviceTypes = SeamVocabulary.optionalEnumList(params, "device_types", SeamVocabulary.DEVICE_TYPES);
        String manufacturer = SeamVocabulary.optionalEnum(params, "manufacturer", SeamVocabulary.MANUFACTURERS);
        List<UUID> deviceIds = params.optionalUuidList("device_ids");
        Instant createdBefore = params.optionalInstant("created_before");
        Map<String, Object> customMetadataHas = customMetadataHas(params);
        List<String> includeIf = SeamVocabulary.optionalEnumList(params, "include_if", SeamVocabulary.CAPABILITY_FLAGS);
        List<String> excludeIf = SeamVocabulary.optionalEnumList(params, "exclude_if", SeamVocabulary.CAPABILITY_FLAGS);
        String search = params.optionalString("search");
        if (search != null && search.isEmpty()) {
            params.problem("search", "String must contain at least 1 character(s)");
        }
        // `|`, not `||`: each of them is read, so each is checked.
        boolean unknownOwner = params.optionalUuid("connect_webview_id") != null
                | params.optionalString("customer_key") != null
                | params.optionalUuid("space_id") != null
                | params.optionalUuid("unstable_location_id") != null
                | params.optionalString("user_identifier_key") != null;
        return new DeviceFilter(both(connectedAccountId, connectedAccountIds), both(deviceType, deviceTypes), manufacturer,
                deviceIds, createdBefore, customMetadataHas, includeIf, excludeIf, search, unknownOwner);
    }

    /** A single-value filter and its array form together: the values both allow. */
    private static <T> List<T> both(T single, List<T> many) {
        if (single == null) {
            return many;
        }
        return many == null || many.contains(single) ? List.of(single) : List.of();
    }

    private static Map<String, Object> customMetadataHas(Params params) {
        ObjectNode object = params.optionalObject("custom_metadata_has");
        if (object == null) {
            return null;
        }
        Map<String, Object> pairs = new LinkedHashMap<>();
        object.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (value.isTextual() || value.isBoolean()) {
                pairs.put(entry.getKey(), value.isBoolean() ? value.booleanValue() : value.textValue());
            } else {
                params.problem("custom_metadata_has." + entry.getKey(), "Expected string | boolean, received " + value.getNodeType().name().toLowerCase());
            }
        });
        return pairs;
    }

    /**
     * {@code name} (or the deprecated {@code properties.name}) sets the nickname, null resets it;
     * {@code custom_metadata} merges, a null value deleting its key; {@code is_managed: false}
     * takes the device out of the managed API.
     */
    @POST
    @Path("/update")
    @SdkMethod(HttpMethod.PATCH)
    public SeamResponse update(SeamRequest request) throws Exception {
        Params params = request.params();
        UUID deviceId = params.requiredUuid("device_id");
        Params properties = params.nested("properties");
        Optional<Optional<String>> nickname = nickname(params, "name");
        Optional<Optional<String>> propertiesNickname = nickname(properties, "name");
        properties.validate();
        Map<String, Object> metadataChanges = metadataChanges(params);
        Boolean managed = params.optionalBoolean("is_managed");
        Boolean backupPool = params.optionalBoolean("backup_access_code_pool_enabled");
        params.validate();
        view.inTransaction(request.workspaceId(), tx -> {
            Device device = devices.lock(request.workspaceId(), deviceId).filter(Device::managed)
                    .orElseThrow(() -> SeamException.notFound("device"));
            DeviceState before = device.state();
            Optional<Optional<String>> name = nickname.isPresent() ? nickname : propertiesNickname;
            if (name.isPresent()) {
                device.changeNickname(name.get().orElse(null));
            }
            if (metadataChanges != null) {
                device.mergeCustomMetadata(metadataChanges);
                if (device.customMetadata().size() > MAX_METADATA_KEYS) {
                    throw SeamException.invalidParameter("custom_metadata",
                            "Custom metadata is limited to " + MAX_METADATA_KEYS + " key:value pairs");
                }
            }
            if (backupPool != null && device.supportsBackupAccessCodePool()) {
                device.changeBackupAccessCodePool(backupPool);
            }
            if (managed != null) {
                device.changeManaged(managed);
            }
            if (!device.state().equals(before)) {
                deviceEvents.state(tx, device);
            }
            return null;
        });
        return SeamResponse.ok();
    }

    /** Absent: no change; present: the new nickname, empty to reset it (JSON null). */
    private static Optional<Optional<String>> nickname(Params params, String name) {
        if (!params.raw().has(name)) {
            return Optional.empty();
        }
        String value = params.optionalString(name);
        if (value != null && value.isBlank()) {
            params.problem(name, "String must contain at least 1 character(s)");
        }
        return Optional.of(Optional.ofNullable(value));
    }

    private static Map<String, Object> metadataChanges(Params params) {
        ObjectNode object = params.optionalObject("custom_metadata");
        if (object == null) {
            return null;
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        object.fields().forEachRemaining(entry -> {
            String key = "custom_metadata." + entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isNull() || value.isBoolean()) {
                changes.put(entry.getKey(), value.isNull() ? null : value.booleanValue());
            } else if (value.isTextual() && value.textValue().length() <= MAX_METADATA_VALUE_LENGTH) {
                changes.put(entry.getKey(), value.textValue());
            } else if (value.isTextual()) {
                params.problem(key, "String must contain at most " + MAX_METADATA_VALUE_LENGTH + " character(s)");
            } else {
                params.problem(key, "Expected string | boolean | null, received " + value.getNodeType().name().toLowerCase());
            }
        });
        if (changes.size() > MAX_METADATA_KEYS) {
            params.problem("custom_metadata", "Custom metadata is limited to " + MAX_METADATA_KEYS + " key:value pairs");
        }
        return changes;
    }

    @POST
    @Path("/list_device_providers")
    @SeamAnswer(value = "device_providers", list = true)
    @SdkMethod(HttpMethod.GET)
    public SeamResponse listDeviceProviders(SeamRequest request) {
        Params params = request.params();
        String category = SeamVocabulary.optionalEnum(params, "provider_category", SeamVocabulary.PROVIDER_CATEGORIES);
        params.validate();
        ArrayNode providers = JsonNodeFactory.instance.arrayNode();
        adapters.deviceProviders().stream()
                .filter(provider -> category == null || provider.providerCategories().contains(category))
                .forEach(provider -> providers.add(DeviceProviderJson.of(provider)));
        return SeamResponse.of("device_providers", providers);
    }

    @POST
    @Path("/simulate/connect")
    public SeamResponse simulateConnect(SeamRequest request) throws Exception {
        return simulate(request, Simulation.CONNECT);
    }

    @POST
    @Path("/simulate/disconnect")
    public SeamResponse simulateDisconnect(SeamRequest request) throws Exception {
        return simulate(request, Simulation.DISCONNECT);
    }

    @POST
    @Path("/simulate/remove")
    public SeamResponse simulateRemove(SeamRequest request) throws Exception {
        return simulate(request, Simulation.REMOVE);
    }

    private enum Simulation {
        CONNECT, DISCONNECT, REMOVE
    }

    /** Asks the device's provider to simulate; only sandbox devices can ({@code can_simulate_*}). */
    private SeamResponse simulate(SeamRequest request, Simulation simulation) throws Exception {
        UUID deviceId = request.params().requiredUuid("device_id");
        request.params().validate();
        view.inTransaction(request.workspaceId(), tx -> {
            // Locked at its first read: the provider's report finds it so, as it is now.
            Device device = devices.lock(request.workspaceId(), deviceId).filter(Device::managed)
                    .orElseThrow(() -> SeamException.notFound("device"));
            ProviderAdapter adapter = adapterOf(device);
            switch (simulation) {
                case CONNECT -> {
                    requireSimulation(device.canSimulateConnection(), "connection");
                    adapter.simulateConnection(tx, device);
                }
                case DISCONNECT -> {
                    requireSimulation(device.canSimulateDisconnection(), "disconnection");
                    adapter.simulateDisconnection(tx, device);
                }
                case REMOVE -> {
                    requireSimulation(device.canSimulateRemoval(), "removal");
                    adapter.simulateRemoval(tx, device);
                }
            }
            return null;
        });
        return SeamResponse.ok();
    }

    private ProviderAdapter adapterOf(Device device) {
        ConnectedAccount account = accounts.find(device.workspaceId(), device.connectedAccountId()).orElseThrow();
        return adapters.named(account.provider());
    }

    private static void requireSimulation(boolean possible, String what) {
        if (!possible) {
            throw SeamException.invalidParameter("device_id", "This device cannot simulate " + what + "; only sandbox devices can");
        }
    }
}
