package com.lockstep.device.provider.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lockstep.device.domain.AcsSystem;
import com.lockstep.device.domain.ConnectedAccount;
import com.lockstep.device.domain.Device;
import com.lockstep.device.domain.DeviceProvider;
import com.lockstep.device.provider.AccountDiscovery;
import com.lockstep.state.device.AccessoryKeypad;
import com.lockstep.state.device.AugustMetadata;
import com.lockstep.state.device.ClimateSetting;
import com.lockstep.state.device.CodeConstraint;
import com.lockstep.state.device.DeviceAppearance;
import com.lockstep.state.device.DeviceBattery;
import com.lockstep.state.device.DeviceLocation;
import com.lockstep.state.device.DeviceManufacturer;
import com.lockstep.state.device.DeviceModel;
import com.lockstep.state.device.DeviceProperties;
import com.lockstep.state.device.DeviceProviderOfDevice;
import com.lockstep.state.device.DeviceState;
import com.lockstep.state.device.EcobeeClimateMetadata;
import com.lockstep.state.device.EcobeeMetadata;
import com.lockstep.state.device.KeypadBattery;
import com.lockstep.state.device.SchlageMetadata;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What Seam's sandbox gives a workspace, made for one workspace: a connected account with three
 * locks (August, Schlage, Yale), an ecobee thermostat and an ASSA ABLOY Credential Service ACS
 * (a credential manager for mobile keys), with the properties those devices report.
 */
final class SandboxInventory {

    static final String LOCATION_NAME = "Sandbox House";
    static final String TIME_ZONE = "America/Los_Angeles";
    private static final String IMAGES = "https://connect.getseam.com/assets/images/";
    private static final List<String> LOCK_CAPABILITIES = List.of("access_code", "lock", "battery");

    /** The brands the sandbox connects, with their devices' capabilities. */
    static final List<DeviceProvider> DEVICE_PROVIDERS = List.of(
            new DeviceProvider("august", "August", logo("august"), List.of("stable", "consumer_smartlocks"),
                    Set.of("can_remotely_lock", "can_remotely_unlock", "can_program_online_access_codes", "can_unlock_with_code",
                            "can_simulate_connection", "can_simulate_disconnection", "can_simulate_removal")),
            new DeviceProvider("schlage", "Schlage", logo("schlage"), List.of("stable", "consumer_smartlocks"),
                    Set.of("can_remotely_lock", "can_remotely_unlock", "can_program_online_access_codes", "can_unlock_with_code",
                            "can_configure_auto_lock", "can_simulate_connection", "can_simulate_disconnection", "can_simulate_removal")),
            new DeviceProvider("yale", "Yale", logo("yale"), List.of("stable", "consumer_smartlocks"),
                    Set.of("can_remotely_lock", "can_remotely_unlock", "can_program_online_access_codes",
                            "can_program_offline_access_codes", "can_unlock_with_code", "can_simulate_connection",
                            "can_simulate_disconnection", "can_simulate_removal")),
            new DeviceProvider("ecobee", "ecobee", logo("ecobee"), List.of("stable", "thermostats"),
                    Set.of("can_hvac_heat", "can_hvac_cool", "can_hvac_heat_cool", "can_turn_off_hvac", "can_run_thermostat_programs",
                            "can_simulate_connection", "can_simulate_disconnection", "can_simulate_removal")),
            new DeviceProvider("assa_abloy_credential_service", "ASSA ABLOY Credential Service", logo("assa_abloy"),
                    List.of("access_control_systems"), Set.of()));

    private SandboxInventory() {
    }

    /** A new account for the workspace; its devices are created a millisecond apart, so their list order is fixed. */
    static AccountDiscovery discover(UUID workspaceId, Instant at) {
        UUID accountId = UUID.randomUUID();
        ConnectedAccount account = new ConnectedAccount(accountId, workspaceId, SandboxProvider.NAME, "sandbox",
                "Lockstep Sandbox", "jane@example.com", logo("seam"), List.of("lock", "thermostat", "access_control"), true,
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.arrayNode(), at);
        List<Device> devices = List.of(
                augustLock(workspaceId, accountId, at.plusMillis(1)),
                schlageLock(workspaceId, accountId, at.plusMillis(2)),
                yaleLock(workspaceId, accountId, at.plusMillis(3)),
                ecobeeThermostat(workspaceId, accountId, at.plusMillis(4)));
        AcsSystem credentialManager = new AcsSystem(UUID.randomUUID(), workspaceId, accountId, "ASSA ABLOY Credential Service",
                "assa_abloy_credential_service", "ASSA ABLOY Credential Service", true, IMAGES + "logos/assa_abloy_logo_square.png",
                "ASSA ABLOY logo", null, JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.arrayNode(), at.plusMillis(5));
        return new AccountDiscovery(account, devices, List.of(credentialManager));
    }

    private static Device augustLock(UUID workspaceId, UUID accountId, Instant at) {
        String name = "Front Door";
        DeviceProperties properties = lockProperties(name, "august", "Wi-Fi Smart Lock", "August", 0.86)
                .setImageUrl(IMAGES + "devices/august_wifi-smart-lock-3rd-gen_silver_front.png")
                .setImageAltText("August Wi-Fi Smart Lock, Silver, Front")
                .setModel(model("Wi-Fi Smart Lock", "August", true, false))
                .setAccessoryKeypad(new AccessoryKeypad(true, new KeypadBattery(0.62)))
                .setAugustMetadata(AugustMetadata.newBuilder()
                        .setLockId(providerId(16))
                        .setLockName(name)
                        .setHouseId(UUID.nameUUIDFromBytes(accountId.toString().getBytes()).toString())
                        .setHouseName(LOCATION_NAME)
                        .setHasKeypad(true)
                        .setKeypadBatteryLevel("Medium")
                        .setModel("AUG-SL05-M01-S01")
                        .build())
                .setLocked(true)
                .setSupportsAccessoryKeypad(true)
                .setMaxActiveCodesSupported(250L)
                .setCodeConstraints(List.of(new CodeConstraint("cannot_start_with_12", null, null)))
                .setSupportsBackupAccessCodePool(true)
                .setBackupAccessCodePoolEnabled(false)
                .build();
        return new Device(lock(workspaceId, accountId, at, "august_lock", "august", "August", properties)
                .setCanProgramOfflineAccessCodes(false)
                .build());
    }

    private static Device schlageLock(UUID workspaceId, UUID accountId, Instant at) {
        String name = "Back Door";
        DeviceProperties properties = lockProperties(name, "schlage", "Encode Plus Smart WiFi Deadbolt", "Schlage", 0.78)
                .setImageUrl(IMAGES + "devices/schlage_encode-plus-smart-wifi-deadbolt_matte-black_front.png")
                .setImageAltText("Schlage Encode Plus Smart WiFi Deadbolt, Matte Black, Front")
                .setModel(model("Encode Plus Smart WiFi Deadbolt", "Schlage", false, true))
                .setSchlageMetadata(new SchlageMetadata(providerId(12), name, "BE499WB"))
                .setLocked(false)
                .setAutoLockEnabled(true)
                .setAutoLockDelaySeconds(30L)
                .setMaxActiveCodesSupported(100L)
                .setCodeConstraints(List.of(new CodeConstraint("at_least_three_unique_digits", null, null),
                        new CodeConstraint("name_length", 1L, 20L)))
                .build();
        return new Device(lock(workspaceId, accountId, at, "schlage_lock", "schlage", "Schlage", properties)
                .setCanProgramOfflineAccessCodes(false)
                .setCanConfigureAutoLock(true)
                .build());
    }

    private static Device yaleLock(UUID workspaceId, UUID accountId, Instant at) {
        DeviceProperties properties = lockProperties("Garage Side Door", "yale", "Assure Lock 2 Keypad", "Yale", 0.91)
                .setImageUrl(IMAGES + "devices/yale_assure-lock-2-keypad_satin-nickel_front.png")
                .setImageAltText("Yale Assure Lock 2 Keypad, Satin Nickel, Front")
                .setModel(model("Assure Lock 2 Keypad", "Yale", false, true))
                .setOfflineAccessCodesEnabled(true)
                .setSupportsOfflineAccessCodes(true)
                .setLocked(true)
                .setMaxActiveCodesSupported(50L)
                .setCodeConstraints(List.of(new CodeConstraint("no_all_same_digits", null, null)))
                .build();
        return new Device(lock(workspaceId, accountId, at, "yale_lock", "yale", "Yale", properties)
                .setCanProgramOfflineAccessCodes(true)
                .build());
    }

    private static Device ecobeeThermostat(UUID workspaceId, UUID accountId, Instant at) {
        String name = "Living Room";
        ClimateSetting home = preset("home", "Home", "home", 20, 24, false);
        DeviceProperties properties = DeviceProperties.newBuilder()
                .setOnline(true)
                .setName(name)
                .setAppearance(new DeviceAppearance(name))
                .setModel(DeviceModel.newBuilder().setDisplayName("Smart Thermostat Premium").setManufacturerDisplayName("ecobee").build())
                .setHasDirectPower(true)
                .setManufacturer("ecobee")
                .setImageUrl(IMAGES + "devices/ecobee_smart-thermostat-premium_front.png")
                .setImageAltText("ecobee Smart Thermostat Premium, Front")
                .setSerialNumber(providerId(12).toUpperCase())
                .setEcobeeMetadata(new EcobeeMetadata(providerId(12), name))
                .setTemperatureCelsius(21.5)
                .setTemperatureFahrenheit(70.7)
                .setRelativeHumidity(0.41)
                .setIsHeating(false)
                .setIsCooling(false)
                .setIsFanRunning(false)
                .setIsTemporaryManualOverrideActive(false)
                .setAvailableHvacModeSettings(List.of("off", "heat", "cool", "heat_cool"))
                .setAvailableFanModeSettings(List.of("auto", "on"))
                .setAvailableClimatePresetModes(List.of("home", "away", "sleep"))
                .setCurrentClimateSetting(ClimateSetting.newBuilder(home).build())
                .setAvailableClimatePresets(List.of(home, preset("away", "Away", "away", 15.5, 27, true),
                        preset("sleep", "Sleep", "sleep", 18, 25.5, true)))
                .setFallbackClimatePresetKey("home")
                .setMinCoolingSetPointCelsius(18.3)
                .setMinCoolingSetPointFahrenheit(65.0)
                .setMaxCoolingSetPointCelsius(33.3)
                .setMaxCoolingSetPointFahrenheit(92.0)
                .setMinHeatingSetPointCelsius(7.2)
                .setMinHeatingSetPointFahrenheit(45.0)
                .setMaxHeatingSetPointCelsius(26.1)
                .setMaxHeatingSetPointFahrenheit(79.0)
                .setMinHeatingCoolingDeltaCelsius(2.8)
                .setMinHeatingCoolingDeltaFahrenheit(5.0)
                .setMaxThermostatDailyProgramPeriodsPerDay(4L)
                .setMaxUniqueClimatePresetsPerThermostatWeeklyProgram(4L)
                .setThermostatDailyProgramPeriodPrecisionMinutes(30L)
                .build();
        return new Device(device(workspaceId, accountId, at, "ecobee_thermostat", List.of("thermostat"), properties, "ecobee", "ecobee")
                .setCanHvacHeat(true)
                .setCanHvacCool(true)
                .setCanHvacHeatCool(true)
                .setCanTurnOffHvac(true)
                .setCanRunThermostatPrograms(true)
                .setCanProgramThermostatProgramsAsWeekdayWeekend(true)
                .setCanProgramThermostatProgramsAsDifferentEachDay(true)
                .setCanProgramThermostatProgramsAsSameEachDay(true)
                .build());
    }

    /** What every sandbox lock reports: online, its battery, access codes and lock state. */
    private static DeviceProperties.Builder lockProperties(String name, String manufacturer, String modelName,
                                                           String manufacturerDisplayName, double batteryLevel) {
        return DeviceProperties.newBuilder()
                .setOnline(true)
                .setName(name)
                .setAppearance(new DeviceAppearance(name))
                .setModel(model(modelName, manufacturerDisplayName, false, false))
                .setHasDirectPower(false)
                .setBatteryLevel(batteryLevel)
                .setBattery(new DeviceBattery(batteryLevel, Device.batteryStatus(batteryLevel)))
                .setManufacturer(manufacturer)
                .setSerialNumber(providerId(12).toUpperCase())
                .setOnlineAccessCodesEnabled(true)
                .setOfflineAccessCodesEnabled(false)
                .setSupportsAccessoryKeypad(false)
                .setSupportsOfflineAccessCodes(false)
                .setDoorOpen(false)
                .setSupportedCodeLengths(List.of(4L, 5L, 6L, 7L, 8L))
                .setHasNativeEntryEvents(true);
    }

    private static DeviceState.Builder lock(UUID workspaceId, UUID accountId, Instant at, String deviceType, String manufacturer,
                                            String manufacturerDisplayName, DeviceProperties properties) {
        return device(workspaceId, accountId, at, deviceType, LOCK_CAPABILITIES, properties, manufacturer, manufacturerDisplayName)
                .setCanRemotelyLock(true)
                .setCanRemotelyUnlock(true)
                .setCanProgramOnlineAccessCodes(true)
                .setCanUnlockWithCode(true);
    }

    private static DeviceState.Builder device(UUID workspaceId, UUID accountId, Instant at, String deviceType,
                                              List<String> capabilities, DeviceProperties properties, String manufacturer,
                                              String manufacturerDisplayName) {
        return DeviceState.newBuilder()
                .setDeviceId(UUID.randomUUID().toString())
                .setWorkspaceId(workspaceId.toString())
                .setConnectedAccountId(accountId.toString())
                .setDeviceType(deviceType)
                .setDisplayName(properties.getName())
                .setCapabilitiesSupported(capabilities)
                .setProperties(properties)
                .setLocation(new DeviceLocation(LOCATION_NAME, TIME_ZONE, TIME_ZONE))
                .setErrors(List.of())
                .setWarnings(List.of())
                .setCreatedAt(at)
                .setIsManaged(true)
                .setCustomMetadata(Map.of())
                .setCanSimulateConnection(true)
                .setCanSimulateDisconnection(true)
                .setCanSimulateRemoval(true)
                .setDeviceManufacturer(new DeviceManufacturer(manufacturer, manufacturerDisplayName, logo(manufacturer)))
                .setDeviceProvider(new DeviceProviderOfDevice(manufacturer, manufacturerDisplayName, logo(manufacturer), "stable"));
    }

    private static DeviceModel model(String displayName, String manufacturerDisplayName, boolean accessoryKeypad, boolean builtInKeypad) {
        return DeviceModel.newBuilder()
                .setDisplayName(displayName)
                .setManufacturerDisplayName(manufacturerDisplayName)
                .setCanConnectAccessoryKeypad(accessoryKeypad)
                .setHasBuiltInKeypad(builtInKeypad)
                .setAccessoryKeypadSupported(accessoryKeypad)
                .setOnlineAccessCodesSupported(true)
                .setOfflineAccessCodesSupported(false)
                .build();
    }

    private static ClimateSetting preset(String key, String name, String mode, double heatingCelsius, double coolingCelsius,
                                         boolean deletable) {
        return ClimateSetting.newBuilder()
                .setClimatePresetKey(key)
                .setCanEdit(true)
                .setCanDelete(deletable)
                .setCanUseWithThermostatDailyPrograms(true)
                .setName(name)
                .setDisplayName(name)
                .setClimatePresetMode(mode)
                .setHvacModeSetting("heat_cool")
                .setFanModeSetting("auto")
                .setHeatingSetPointCelsius(heatingCelsius)
                .setHeatingSetPointFahrenheit(fahrenheit(heatingCelsius))
                .setCoolingSetPointCelsius(coolingCelsius)
                .setCoolingSetPointFahrenheit(fahrenheit(coolingCelsius))
                .setManualOverrideAllowed(true)
                .setEcobeeMetadata(new EcobeeClimateMetadata(key, false, "system"))
                .build();
    }

    private static double fahrenheit(double celsius) {
        return Math.round((celsius * 9 / 5 + 32) * 10) / 10.0;
    }

    private static String logo(String brand) {
        return IMAGES + "logos/" + brand + "_logo_square.png";
    }

    /** A provider-side id: random hex digits. */
    private static String providerId(int length) {
        byte[] random = new byte[length];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random).substring(0, length);
    }
}
