package com.lockstep.device.api;

import com.lockstep.kit.api.Params;

import java.util.List;
import java.util.stream.Collectors;

/** Seam's enumerations that device requests are checked against, and zod's message for a value outside one. */
final class SeamVocabulary {

    static final List<String> DEVICE_TYPES = List.of("akuvox_lock", "august_lock", "brivo_access_point", "butterflymx_panel",
            "avigilon_alta_entry", "doorking_lock", "genie_door", "igloo_lock", "linear_lock", "lockly_lock", "kwikset_lock",
            "nuki_lock", "salto_lock", "schlage_lock", "smartthings_lock", "wyze_lock", "yale_lock", "two_n_intercom",
            "controlbyweb_device", "ttlock_lock", "igloohome_lock", "four_suites_door", "dormakaba_oracode_door", "tedee_lock",
            "akiles_lock", "ultraloq_lock", "keyincode_lock", "omnitec_lock", "kisi_lock", "keynest_key",
            "noiseaware_activity_zone", "minut_sensor", "ecobee_thermostat", "nest_thermostat", "honeywell_resideo_thermostat",
            "tado_thermostat", "sensi_thermostat", "smartthings_thermostat", "ios_phone", "android_phone", "ring_camera");

    static final List<String> MANUFACTURERS = List.of("akuvox", "august", "avigilon_alta", "brivo", "butterflymx", "doorking",
            "four_suites", "genie", "igloo", "keywe", "kwikset", "linear", "lockly", "nuki", "philia", "salto", "samsung",
            "schlage", "seam", "unknown", "wyze", "yale", "two_n", "ttlock", "igloohome", "controlbyweb", "dormakaba_oracode",
            "tedee", "keyincode", "akiles", "ecobee", "honeywell_resideo", "keynest", "korelock", "minut", "nest", "noiseaware",
            "sensi", "smartthings", "tado", "ultraloq", "ring", "ical", "lodgify", "hostaway", "guesty", "acuity_scheduling",
            "omnitec", "kisi", "slack");

    /** The {@code can_*} flags {@code include_if} and {@code exclude_if} take. */
    static final List<String> CAPABILITY_FLAGS = List.of("can_remotely_unlock", "can_remotely_lock",
            "can_program_offline_access_codes", "can_program_online_access_codes", "can_hvac_heat", "can_hvac_cool",
            "can_hvac_heat_cool", "can_turn_off_hvac", "can_simulate_removal", "can_simulate_connection",
            "can_simulate_disconnection", "can_unlock_with_code", "can_run_thermostat_programs",
            "can_program_thermostat_programs_as_weekday_weekend", "can_program_thermostat_programs_as_different_each_day",
            "can_program_thermostat_programs_as_same_each_day", "can_simulate_hub_connection", "can_simulate_hub_disconnection",
            "can_simulate_paid_subscription", "can_configure_auto_lock");

    static final List<String> PROVIDER_CATEGORIES = List.of("stable", "consumer_smartlocks", "beta", "thermostats",
            "noise_sensors", "access_control_systems", "cameras", "connectors");

    private SeamVocabulary() {
    }

    /** An optional string that must be one of {@code values}. */
    static String optionalEnum(Params params, String name, List<String> values) {
        String value = params.optionalString(name);
        if (value != null && !values.contains(value)) {
            params.problem(name, invalidEnum(values, value));
            return null;
        }
        return value;
    }

    /** An optional array whose every item must be one of {@code values}. */
    static List<String> optionalEnumList(Params params, String name, List<String> values) {
        List<String> list = params.optionalStringList(name);
        if (list == null) {
            return null;
        }
        for (String value : list) {
            if (!values.contains(value)) {
                params.problem(name, invalidEnum(values, value));
                return null;
            }
        }
        return list;
    }

    private static String invalidEnum(List<String> values, String received) {
        return "Invalid enum value. Expected " + values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(" | "))
                + ", received '" + received + "'";
    }
}
