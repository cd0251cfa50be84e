package com.lockstep.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A generated set of malformed requests for every endpoint: wrong types, missing required fields,
 * huge strings and arrays, invalid UUIDs, timestamps and page cursors, unknown fields, wrong
 * methods, malformed and non-object JSON, bodies over 1 MiB, garbage query strings and paths, odd
 * content types and credentials. Deterministic for a seed.
 *
 * <p>Each endpoint's parameters are declared here ({@link #SPECS}, read from its resource); a
 * case names what it expects: an exact status, any 4xx, or anything but a 5xx (where the platform
 * may reasonably accept the request, e.g. unknown fields).
 */
final class MalformedRequests {

    static final int MAX_STRING = 10_000;
    static final int MAX_ARRAY = 1_000;
    static final int MAX_BODY = 1_048_576;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String LONE_SURROGATE = "\uD800";

    /** What a case expects: {@code status} exactly (when not null), else any 4xx (clientError), else anything below 500. */
    record Expect(Integer status, boolean clientError) {
        static final Expect ANY = new Expect(null, false);
        static final Expect CLIENT_ERROR = new Expect(null, true);

        static Expect status(int status) {
            return new Expect(status, true);
        }

        @Override
        public String toString() {
            return status != null ? String.valueOf(status) : clientError ? "4xx" : "<500";
        }
    }

    /** One request: raw method, target and headers, and a body (null for none). */
    record Case(String category, String path, String method, String target, Map<String, String> headers, byte[] body, Expect expect) {

        String describe() {
            String text = body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)
                    .replace("\u0000", "\\u0000");
            String shownTarget = target.length() > 200 ? target.substring(0, 200) + "...(" + target.length() + " chars)" : target;
            return "[" + category + "] " + method + " " + shownTarget + (body == null ? "" : " " + text
                    + (body.length > 200 ? "...(" + body.length + " bytes)" : "")) + " expecting " + expect;
        }
    }

    enum Kind { UUID, UUIDS, STRING, NAME, EMAIL, E164, BOOL, INT, NUMBER, INSTANT, ENUM, ENUMS, OBJECT, CURSOR }

    enum Need { REQUIRED, ONE_OF, OPTIONAL }

    record Param(String name, Kind kind, Need need) {
    }

    /** An endpoint's parameters, from its resource. */
    record Spec(String path, List<Param> params) {

        boolean requiresSomething() {
            return params.stream().anyMatch(p -> p.need() != Need.OPTIONAL);
        }

        boolean list() {
            return params.stream().anyMatch(p -> p.name().equals("page_cursor"));
        }
    }

    /**
     * Every endpoint's parameters: "name:kind", "!" for required, "+" for one of several that is
     * required (e.g. an id or a key). Nested object parameters are named as a whole (kind object).
     */
    static final Map<String, Spec> SPECS = specs(
            // identity-service
            "/workspaces/get", "",
            "/workspaces/list", "",
            "/user_identities/create", "user_identity_key:string email_address:email phone_number:e164 full_name:string acs_system_ids:uuids",
            "/user_identities/get", "user_identity_id:uuid+ user_identity_key:string+",
            "/user_identities/list", "user_identity_ids:uuids search:string created_before:instant credential_manager_acs_system_id:uuid"
                    + " limit:int page_cursor:cursor",
            "/user_identities/update", "user_identity_id:uuid! user_identity_key:string email_address:email phone_number:e164 full_name:string",
            "/user_identities/delete", "user_identity_id:uuid!",
            "/user_identities/generate_instant_key", "user_identity_id:uuid! customization_profile_id:uuid max_use_count:int",
            "/user_identities/add_acs_user", "acs_user_id:uuid! user_identity_id:uuid+ user_identity_key:string+",
            "/user_identities/remove_acs_user", "acs_user_id:uuid! user_identity_id:uuid!",
            "/user_identities/list_acs_users", "user_identity_id:uuid!",
            "/user_identities/list_acs_systems", "user_identity_id:uuid!",
            "/user_identities/grant_access_to_device", "user_identity_id:uuid! device_id:uuid!",
            "/user_identities/revoke_access_to_device", "user_identity_id:uuid! device_id:uuid!",
            "/user_identities/list_accessible_devices", "user_identity_id:uuid!",
            "/admin/workspaces/create", "name:string! company_name:string is_sandbox:bool",
            "/admin/api_keys/create", "workspace_id:uuid! name:string",
            "/admin/api_keys/revoke", "api_key_id:uuid!",
            // phone-service
            "/phones/get", "device_id:uuid!",
            "/phones/list", "owner_user_identity_id:uuid acs_credential_id:uuid limit:int page_cursor:cursor",
            "/phones/deactivate", "device_id:uuid!",
            "/phones/simulate/create_sandbox_phone", "user_identity_id:uuid! custom_sdk_installation_id:string phone_metadata:object"
                    + " assa_abloy_metadata:object",
            // device-gateway
            "/devices/get", "device_id:uuid+ name:string+",
            "/devices/list", "connected_account_id:uuid connected_account_ids:uuids device_type:enum device_types:enums manufacturer:enum"
                    + " device_ids:uuids created_before:instant custom_metadata_has:object include_if:enums exclude_if:enums search:string"
                    + " connect_webview_id:uuid customer_key:string space_id:uuid unstable_location_id:uuid user_identifier_key:string"
                    + " limit:int page_cursor:cursor",
            "/devices/update", "device_id:uuid! properties:object name:name custom_metadata:object is_managed:bool"
                    + " backup_access_code_pool_enabled:bool",
            "/devices/list_device_providers", "provider_category:enum",
            "/devices/simulate/connect", "device_id:uuid!",
            "/devices/simulate/disconnect", "device_id:uuid!",
            "/devices/simulate/remove", "device_id:uuid!",
            "/acs/systems/get", "acs_system_id:uuid!",
            "/acs/systems/list", "connected_account_id:uuid customer_key:string search:string",
            "/admin/sandbox/provision_workspace", "workspace_id:uuid!",
            "/admin/sandbox/list_acs_credentials", "workspace_id:uuid! acs_system_id:uuid!",
            "/admin/sandbox/report_battery_level", "workspace_id:uuid! device_id:uuid! battery_level:number!",
            // credential-service
            "/acs/users/create", "acs_system_id:uuid! full_name:string! user_identity_id:uuid email_address:email email:email"
                    + " phone_number:e164 access_schedule:object acs_access_group_ids:uuids",
            "/acs/users/get", "acs_user_id:uuid+ user_identity_id:uuid acs_system_id:uuid",
            "/acs/users/list", "acs_system_id:uuid user_identity_id:uuid user_identity_email_address:string"
                    + " user_identity_phone_number:string search:string created_before:instant limit:int page_cursor:cursor",
            "/acs/users/update", "acs_user_id:uuid+ user_identity_id:uuid acs_system_id:uuid full_name:string email_address:email"
                    + " email:email phone_number:e164 access_schedule:object hid_acs_system_id:uuid",
            "/acs/users/delete", "acs_user_id:uuid+ user_identity_id:uuid acs_system_id:uuid",
            "/acs/users/suspend", "acs_user_id:uuid+ user_identity_id:uuid acs_system_id:uuid",
            "/acs/users/unsuspend", "acs_user_id:uuid+ user_identity_id:uuid acs_system_id:uuid",
            "/acs/credentials/create", "access_method:enum! acs_user_id:uuid+ user_identity_id:uuid+ acs_system_id:uuid"
                    + " credential_manager_acs_system_id:uuid code:string starts_at:instant ends_at:instant"
                    + " is_multi_phone_sync_credential:bool allowed_acs_entrance_ids:uuids assa_abloy_vostio_metadata:object"
                    + " hotek_metadata:object salto_space_metadata:object visionline_metadata:object",
            "/acs/credentials/get", "acs_credential_id:uuid!",
            "/acs/credentials/list", "acs_user_id:uuid acs_system_id:uuid user_identity_id:uuid is_multi_phone_sync_credential:bool"
                    + " search:string created_before:instant limit:int page_cursor:cursor",
            "/acs/credentials/assign", "acs_credential_id:uuid! acs_user_id:uuid+ user_identity_id:uuid+",
            "/acs/credentials/unassign", "acs_credential_id:uuid! acs_user_id:uuid+ user_identity_id:uuid+",
            "/acs/credentials/update", "acs_credential_id:uuid! code:string ends_at:instant",
            "/acs/credentials/delete", "acs_credential_id:uuid!",
            // service-kit's replay endpoints (PlatformEndpoints.replayRoutes)
            "/admin/identity_service/consumer_groups/list", "",
            "/admin/identity_service/consumer_groups/replay", "consumer_group:string",
            "/admin/phone_service/consumer_groups/list", "",
            "/admin/phone_service/consumer_groups/replay", "consumer_group:string",
            "/admin/device_gateway/consumer_groups/list", "",
            "/admin/device_gateway/consumer_groups/replay", "consumer_group:string",
            "/admin/credential_service/consumer_groups/list", "",
            "/admin/credential_service/consumer_groups/replay", "consumer_group:string",
            "/admin/identity_service/projections/list", "",
            "/admin/identity_service/projections/replay", "consumer_group:string");

    /**
     * Endpoints whose ids a valid base request must not name for real: with unknown fields added the
     * request succeeds, and these would delete or disable the fixture the other cases use.
     */
    private static final Set<String> DESTRUCTIVE = Set.of("/user_identities/delete", "/user_identities/remove_acs_user",
            "/user_identities/revoke_access_to_device", "/phones/deactivate", "/devices/simulate/disconnect",
            "/devices/simulate/remove", "/devices/update", "/acs/users/delete", "/acs/users/suspend", "/acs/users/update",
            "/acs/credentials/delete", "/acs/credentials/update", "/acs/credentials/assign", "/acs/credentials/unassign",
            "/user_identities/update", "/admin/api_keys/revoke");

    /**
     * Known bugs of the platform, by category: their cases run and are reported (like node's
     * {@code todo}) but fail the test only with {@code -Dlockstep.hostile.strict=true}. Each is
     * described in system-tests/README.md.
     */
    static final Map<String, String> KNOWN_BUGS = Map.of();

    private final Random random;
    private final Map<String, String> fixture;
    private final String apiKey;
    private final String adminToken;
    private final List<Case> cases = new ArrayList<>();

    /**
     * @param fixture ids of a throwaway workspace's objects, for requests that are valid but for
     *                the one thing malformed: user_identity_id, acs_user_id, acs_system_id,
     *                acs_credential_id, phone_device_id, device_id, workspace_id
     */
    MalformedRequests(long seed, Map<String, String> fixture, String apiKey, String adminToken) {
        this.random = new Random(seed);
        this.fixture = fixture;
        this.apiKey = apiKey;
        this.adminToken = adminToken;
    }

    static Map<String, Spec> specs(String... pathsAndParams) {
        Map<String, Spec> specs = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndParams.length; i += 2) {
            List<Param> params = new ArrayList<>();
            for (String token : pathsAndParams[i + 1].split(" ")) {
                if (token.isBlank()) {
                    continue;
                }
                Need need = token.endsWith("!") ? Need.REQUIRED : token.endsWith("+") ? Need.ONE_OF : Need.OPTIONAL;
                String[] parts = (need == Need.OPTIONAL ? token : token.substring(0, token.length() - 1)).split(":");
                params.add(new Param(parts[0], Kind.valueOf(parts[1].toUpperCase()), need));
            }
            specs.put(pathsAndParams[i], new Spec(pathsAndParams[i], List.copyOf(params)));
        }
        return specs;
    }

    /** The cases for these routes, shuffled with the seed. */
    List<Case> generate(List<PlatformEndpoints.Route> routes) {
        for (PlatformEndpoints.Route route : routes) {
            Spec spec = SPECS.get(route.path());
            if (spec == null) {
                throw new IllegalStateException("No parameter spec for " + route.path() + " (" + route.module()
                        + "): add one to MalformedRequests.SPECS");
            }
            forEndpoint(route, spec);
        }
        java.util.Collections.shuffle(cases, random);
        return cases;
    }

    private void forEndpoint(PlatformEndpoints.Route route, Spec spec) {
        ObjectNode base = base(spec);
        for (Param param : spec.params()) {
            parameterCases(route, base, param);
        }
        for (Param param : spec.params()) {
            if (param.need() == Need.REQUIRED) {
                ObjectNode without = base.deepCopy();
                without.remove(param.name());
                post(route, "missing-required", without, Expect.status(400));
            }
        }
        if (!isReplay(route)) {
            // An empty replay request replays every consumer group: not a malformed request.
            post(route, "empty-body", NODES.objectNode(), spec.requiresSomething() ? Expect.status(400) : Expect.ANY);
            postRaw(route, "empty-body", "application/json", new byte[0], spec.requiresSomething() ? Expect.status(400) : Expect.ANY);
        }
        if (!route.admin()) {
            ObjectNode unknown = base.deepCopy();
            unknown.put("_strict", true);
            unknown.put("definitely_not_a_parameter", "x");
            unknown.putObject("__proto__").put("is_admin", true);
            post(route, "unknown-fields", unknown, Expect.ANY);
            if (route.methods().contains("GET") || route.methods().contains("DELETE")) {
                String method = route.methods().contains("GET") ? "GET" : "DELETE";
                String query = ApiCaller.query(base);
                add("unknown-fields", route, method, route.path() + (query.isEmpty() ? "?" : query + "&")
                        + "_strict=true&definitely_not_a_parameter=x", auth(route), null, Expect.ANY);
            }
        }
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND")) {
            if (!route.methods().contains(method)) {
                boolean withBody = !method.equals("GET") && !method.equals("DELETE") && !method.equals("TRACE") && !method.equals("OPTIONS");
                add("wrong-method", route, method, route.path(), withBody ? json(auth(route)) : auth(route),
                        withBody ? ApiCaller.bytes(base) : null, Expect.status(405));
            }
        }
        for (String body : List.of("{", "{\"a\":", "{\"a\" 1}", "{'a': 1}", "{\"a\": 1,}", "{\"a\": NaN}", "{\"a\": undefined}",
                "{\"a\": \"\\uZZZZ\"}", "{\"a\": 01}", "{\"a\": \"unterminated}", "\"", "nul\u0000l", "{\"a\": 1" + "1".repeat(2_000) + "}",
                "[".repeat(5_000) + "]".repeat(5_000), "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000))) {
            postRaw(route, "malformed-json", "application/json", body.getBytes(StandardCharsets.UTF_8), Expect.status(400));
        }
        postRaw(route, "malformed-json", "application/json", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'},
                Expect.status(400));
        postRaw(route, "malformed-json", "application/json", new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0x7B, 0x7D}, Expect.status(400));
        if (!isReplay(route)) {
            postRaw(route, "trailing-json", "application/json", (ApiCaller.bytes(base) + "{\"b\": 2}").getBytes(StandardCharsets.UTF_8),
                    Expect.ANY);
        }
        for (String body : List.of("[]", "[1, 2]", "1", "\"text\"", "true", "null", "[{\"a\": 1}]")) {
            postRaw(route, "non-object-json", "application/json", body.getBytes(StandardCharsets.UTF_8), Expect.status(400));
        }
        byte[] huge = new byte[MAX_BODY + 1_024];
        java.util.Arrays.fill(huge, (byte) 'a');
        byte[] hugeJson = ("{\"x\":\"" + new String(huge, StandardCharsets.US_ASCII) + "\"}").getBytes(StandardCharsets.US_ASCII);
        postRaw(route, "body-too-large", "application/json", hugeJson, Expect.status(413));
        postRaw(route, "body-too-large", "application/octet-stream", huge, Expect.status(413));
        if (spec.list()) {
            for (Object limit : List.of(0, -1, 10_001, "abc", 1.5, true, "1e3", 99_999_999_999L, "")) {
                ObjectNode body = base.deepCopy();
                body.set("limit", ApiCaller.JSON.valueToTree(limit));
                post(route, "invalid-limit", body, "".equals(limit) ? Expect.ANY : Expect.status(400));
            }
        }
        queryCases(route, spec, base);
        pathCases(route, base);
        if (!isReplay(route)) {
            contentTypeCases(route, base);
        }
        authCases(route, base);
    }

    // --- parameters ------------------------------------------------------------------------------

    private void parameterCases(PlatformEndpoints.Route route, ObjectNode base, Param param) {
        for (Object wrong : wrongTypes(param.kind())) {
            with(route, base, param, "wrong-type", wrong, Expect.status(400));
        }
        with(route, base, param, "string-too-long", "x".repeat(MAX_STRING + 1 + random.nextInt(5_000)), Expect.status(400));
        ArrayNode hugeArray = NODES.arrayNode();
        String item = param.kind() == Kind.UUIDS ? randomUuid() : param.kind() == Kind.ENUMS ? "can_remotely_unlock" : "x";
        for (int i = 0; i <= MAX_ARRAY + random.nextInt(500); i++) {
            hugeArray.add(item);
        }
        with(route, base, param, "array-too-long", hugeArray, Expect.status(400));
        switch (param.kind()) {
            case UUID -> {
                String uuid = randomUuid();
                for (String invalid : List.of("", "not-a-uuid", uuid.substring(0, 35) + "g", "1-1-1-1-1", "{" + uuid + "}", " " + uuid,
                        uuid + "\n", uuid.replace("-", ""), uuid + "0", "' OR '1'='1", "00000000-0000-0000-0000-00000000000", "%")) {
                    with(route, base, param, "invalid-uuid", invalid, Expect.status(400));
                }
            }
            case UUIDS -> {
                with(route, base, param, "invalid-uuid", List.of("not-a-uuid"), Expect.status(400));
                with(route, base, param, "invalid-uuid", List.of(randomUuid(), "x"), Expect.status(400));
                with(route, base, param, "invalid-uuid", "not-a-uuid", Expect.status(400));
            }
            case EMAIL -> List.of("not an email", "a@b", "@example.com", "a@@example.com")
                    .forEach(v -> with(route, base, param, "invalid-value", v, Expect.status(400)));
            case E164 -> List.of("555-0100", "+0123", "+1234567890123456", "+1 555 0100")
                    .forEach(v -> with(route, base, param, "invalid-value", v, Expect.status(400)));
            case ENUM -> List.of("not_a_value", "", "AUGUST_LOCK")
                    .forEach(v -> with(route, base, param, "invalid-value", v, Expect.status(400)));
            case ENUMS -> List.of(List.of("not_a_value"), "not_a_value")
                    .forEach(v -> with(route, base, param, "invalid-value", v, Expect.status(400)));
            case INT -> List.of(0, -1, 10_001, 99_999_999_999L, "99999999999999999999", "1e3", 1.5)
                    .forEach(v -> with(route, base, param, "invalid-value", v,
                            param.name().equals("max_use_count") && v.equals(10_001) ? Expect.ANY : Expect.status(400)));
            case NUMBER -> List.of(2, -1, "1e5", "abc")
                    .forEach(v -> with(route, base, param, "invalid-value", v, Expect.status(400)));
            case BOOL -> List.of("yes", "TRUE", "1", 0)
                    .forEach(v -> with(route, base, param, "invalid-value", v, Expect.status(400)));
            case INSTANT -> {
                List.of("yesterday", "2024-13-45T00:00:00Z", "2024-01-01", "2024-01-01T00:00:00", "", "1700000000")
                        .forEach(v -> with(route, base, param, "invalid-value", v, Expect.status(400)));
                List.of("+1000000-01-01T00:00:00Z", "-1000000-01-01T00:00:00Z", "+294277-01-01T00:00:00Z", "-4714-11-23T00:00:00Z")
                        .forEach(v -> with(route, base, param, "instant-out-of-range", v, Expect.status(400)));
            }
            case CURSOR -> {
                String uuid = randomUuid();
                for (String invalid : List.of("!!!", "not-a-cursor", b64("x"), b64("1:2"), b64("a:b:c"), b64("1:2:not-a-uuid"), "",
                        b64("9223372036854775807:0:" + uuid), "%%%", b64(":::"))) {
                    with(route, base, param, "invalid-cursor", invalid, Expect.status(400));
                }
                for (String outOfRange : List.of(b64("99999999999999:0:" + uuid), b64("-99999999999999:0:" + uuid),
                        b64("-300000000000:0:" + uuid))) {
                    with(route, base, param, "cursor-out-of-range", outOfRange, Expect.status(400));
                }
            }
            case OBJECT -> nestedCases(route, base, param);
            default -> {
            }
        }
        if (param.kind() != Kind.BOOL && param.kind() != Kind.INT && param.kind() != Kind.NUMBER && param.kind() != Kind.OBJECT) {
            with(route, base, param, "nul-byte", "a\u0000b", param.kind() == Kind.STRING || param.kind() == Kind.NAME
                    ? Expect.ANY : Expect.status(400));
            for (String odd : List.of("\uD83D\uDCA5\uD83D\uDD11", "\u202Eevil", "' OR 1=1 --", "${jndi:ldap://127.0.0.1/x}", "%00",
                    "\\", "<script>alert(1)</script>", "a\nb", "\uFFFF", LONE_SURROGATE)) {
                with(route, base, param, "odd-string", odd, param.kind() == Kind.STRING || param.kind() == Kind.NAME
                        ? Expect.ANY : Expect.status(400));
            }
        }
    }

    private void nestedCases(PlatformEndpoints.Route route, ObjectNode base, Param param) {
        Map<String, Object> invalid = new LinkedHashMap<>();
        String nul = "a\u0000b";
        switch (param.name()) {
            case "phone_metadata" -> {
                invalid.put("invalid-value", Map.of("operating_system", "windows"));
                invalid.put("wrong-type", Map.of("operating_system", 5));
                invalid.put("nul-byte", Map.of("device_model", nul));
            }
            case "assa_abloy_metadata" -> {
                invalid.put("invalid-value", Map.of("seos_tsm_endpoint_id", -5));
                invalid.put("wrong-type", Map.of("ble_capability", "maybe"));
                invalid.put("nul-byte", Map.of("application_version", nul));
            }
            case "access_schedule" -> {
                invalid.put("invalid-value", Map.of("starts_at", "2030-01-02T00:00:00Z", "ends_at", "2030-01-01T00:00:00Z"));
                invalid.put("wrong-type", Map.of("starts_at", 5));
                invalid.put("instant-out-of-range", Map.of("ends_at", "+1000000-01-01T00:00:00Z"));
            }
            case "custom_metadata" -> {
                Map<String, String> tooMany = new LinkedHashMap<>();
                for (int i = 0; i < 51; i++) {
                    tooMany.put("k" + i, "v");
                }
                invalid.put("invalid-value", tooMany);
                invalid.put("string-too-long", Map.of("k", "x".repeat(501)));
                invalid.put("wrong-type", Map.of("k", 5));
                invalid.put("nul-byte", Map.of("k", nul));
            }
            case "custom_metadata_has" -> {
                invalid.put("wrong-type", Map.of("k", 5));
                invalid.put("nul-byte", Map.of("k", nul));
            }
            case "properties" -> {
                invalid.put("wrong-type", Map.of("name", 5));
                invalid.put("nul-byte", Map.of("name", nul));
            }
            default -> invalid.put("nul-byte", Map.of(nul, nul));
        }
        invalid.forEach((category, value) -> with(route, base, param, category, value,
                category.equals("nul-byte") ? Expect.ANY : Expect.status(400)));
    }

    private static List<Object> wrongTypes(Kind kind) {
        Map<String, Object> object = Map.of("a", 1);
        return switch (kind) {
            case UUID, STRING, NAME, EMAIL, E164, ENUM, INSTANT, CURSOR -> List.of(12_345, true, object, List.of("x"), 1.5);
            case UUIDS, ENUMS -> List.of(12_345, true, object, List.of(1, 2), List.of(Map.of()));
            case BOOL -> List.of("maybe", 1, object, List.of(true));
            case INT -> List.of("abc", true, object, List.of(1), 2.5);
            case NUMBER -> List.of("abc", true, object, List.of(0.5));
            case OBJECT -> List.of("x", 5, true, List.of("x"));
        };
    }

    // --- query strings, paths, content types, credentials -----------------------------------------

    private void queryCases(PlatformEndpoints.Route route, Spec spec, ObjectNode base) {
        if (isReplay(route) || route.admin()) {
            return;
        }
        boolean queryRead = route.methods().contains("GET") || route.methods().contains("DELETE");
        String method = route.methods().contains("GET") ? "GET" : route.methods().contains("DELETE") ? "DELETE" : "POST";
        String path = route.path();
        Param scalar = spec.params().stream()
                .filter(p -> p.kind() != Kind.UUIDS && p.kind() != Kind.ENUMS && p.kind() != Kind.OBJECT)
                .filter(p -> p.need() != Need.OPTIONAL).findFirst()
                .orElse(spec.params().stream().filter(p -> p.kind() == Kind.UUID || p.kind() == Kind.STRING).findFirst().orElse(null));
        String baseQuery = queryRead ? ApiCaller.query(base) : "";
        String prefix = path + (baseQuery.isEmpty() ? "?" : baseQuery + "&");
        Map<String, String> headers = auth(route);
        byte[] body = queryRead ? null : ApiCaller.bytes(base);
        if (!queryRead) {
            headers = json(headers);
        }
        Map<String, Expect> targets = new LinkedHashMap<>();
        targets.put(prefix + "%ZZ", Expect.CLIENT_ERROR);
        targets.put(prefix + "a=%", Expect.CLIENT_ERROR);
        targets.put(prefix + "a=%E0%A4%A", Expect.CLIENT_ERROR);
        targets.put(prefix + "a=%2", Expect.CLIENT_ERROR);
        targets.put(path + "?=", Expect.ANY);
        targets.put(path + "?&&&", Expect.ANY);
        targets.put(prefix + "=x&=y", Expect.ANY);
        targets.put(prefix + "a.b.c.d.e=1", Expect.ANY);
        targets.put(prefix + "..=1", Expect.ANY);
        targets.put(prefix + ".=1&a.=2&.b=3", Expect.ANY);
        targets.put(prefix + "_strict=maybe", Expect.ANY);
        targets.put(prefix + "_strict=true&_strict=false", Expect.ANY);
        targets.put(prefix + "a=%C3%28", Expect.ANY);
        targets.put(prefix + "a=\u00fc\u00df\u6f22", Expect.ANY);
        targets.put(prefix + "a=" + "x".repeat(3_000), Expect.ANY);
        targets.put(path + "?" + "a".repeat(70_000) + "=1", Expect.CLIENT_ERROR);
        targets.put(path + "#fragment", Expect.ANY);
        if (scalar != null) {
            String name = scalar.name();
            String value = base.has(name) ? base.get(name).asText() : "x";
            String others = queryRead ? ApiCaller.query(base.deepCopy().without(name)) : "";
            String withoutIt = path + (others.isEmpty() ? "?" : others + "&");
            targets.put(withoutIt + name + "=" + ApiCaller.encode(value) + "&" + name + "=" + ApiCaller.encode(value),
                    queryRead ? Expect.status(400) : Expect.ANY);
            targets.put(withoutIt + name + ".x=1", queryRead ? Expect.status(400) : Expect.ANY);
            targets.put(withoutIt + name + "=%00", queryRead && scalar.kind() != Kind.STRING ? Expect.status(400) : Expect.ANY);
            targets.put(withoutIt + name + "=%C3%28", queryRead && scalar.kind() != Kind.STRING ? Expect.status(400) : Expect.ANY);
        }
        for (Map.Entry<String, Expect> target : targets.entrySet()) {
            String category = target.getKey().contains("%ZZ") || target.getKey().endsWith("=%") || target.getKey().contains("%E0%A4%A")
                    || target.getKey().endsWith("%2") ? "bad-percent-encoding"
                    : target.getKey().length() > 8_000 ? "uri-too-long"
                    : target.getKey().contains("=%00") ? "nul-byte"
                    : !java.nio.charset.StandardCharsets.US_ASCII.newEncoder().canEncode(target.getKey()) ? "non-ascii-request-line"
                    : "garbage-query";
            add(category, route, method, target.getKey(), headers, body, target.getValue());
        }
    }

    private void pathCases(PlatformEndpoints.Route route, ObjectNode base) {
        if (isReplay(route)) {
            return;
        }
        String path = route.path();
        Map<String, String> headers = json(auth(route));
        byte[] body = ApiCaller.bytes(base);
        for (String target : List.of(path + "/", path.toUpperCase(java.util.Locale.ROOT), path + "/extra", path + ";jsessionid=1",
                path + ".json", path + "%20", "/" + path)) {
            add("garbage-path", route, "POST", target, headers, body, Expect.ANY);
        }
    }

    private void contentTypeCases(PlatformEndpoints.Route route, ObjectNode base) {
        byte[] body = ApiCaller.bytes(base);
        postRaw(route, "content-type", "text/plain", body, Expect.ANY);
        postRaw(route, "content-type", null, body, Expect.ANY);
        postRaw(route, "content-type", "application/json; charset=utf-16", body, Expect.ANY);
        postRaw(route, "content-type", "application/x-www-form-urlencoded", "a=b&c=%ZZ".getBytes(StandardCharsets.US_ASCII), Expect.ANY);
        postRaw(route, "content-type", "multipart/form-data; boundary=XyZ",
                "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--XyZ--\r\n".getBytes(StandardCharsets.US_ASCII),
                Expect.ANY);
        postRaw(route, "content-type", "multipart/form-data", "garbage".getBytes(StandardCharsets.US_ASCII), Expect.ANY);
    }

    private void authCases(PlatformEndpoints.Route route, ObjectNode base) {
        byte[] body = ApiCaller.bytes(base);
        List<String> authorizations = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz",
                "Bearer seam_" + "x".repeat(6_000), "bearer seam_" + randomUuid().replace("-", ""), "Bearer seam_\u00e9t\u00e9",
                "Bearer " + (route.admin() ? apiKey : adminToken), "Bearer " + (route.admin() ? adminToken : apiKey) + "x"));
        for (String authorization : authorizations) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (!authorization.isEmpty()) {
                headers.put("Authorization", authorization);
            }
            add("bad-auth", route, "POST", route.path(), headers, body, authorization.contains("\u00e9") ? Expect.CLIENT_ERROR : Expect.status(401));
        }
        Map<String, String> huge = new LinkedHashMap<>();
        huge.put("Content-Type", "application/json");
        huge.put("Authorization", "Bearer seam_" + "x".repeat(10_000));
        add("header-too-large", route, "POST", route.path(), huge, body, Expect.CLIENT_ERROR);
    }

    // --- building cases ---------------------------------------------------------------------------

    /** The smallest valid request: the required parameters (and the first of a one-of) with fixture values. */
    private ObjectNode base(Spec spec) {
        ObjectNode base = NODES.objectNode();
        boolean oneOfDone = false;
        for (Param param : spec.params()) {
            if (param.need() == Need.REQUIRED || param.need() == Need.ONE_OF && !oneOfDone) {
                base.set(param.name(), NODES.textNode("placeholder"));
                base.set(param.name(), baseValue(spec.path(), param));
                oneOfDone |= param.need() == Need.ONE_OF;
            }
        }
        return base;
    }

    private JsonNode baseValue(String path, Param param) {
        if (param.kind() == Kind.UUID && (DESTRUCTIVE.contains(path) || path.startsWith("/admin/api_keys/"))) {
            return NODES.textNode(randomUuid());
        }
        return switch (param.name()) {
            case "user_identity_id", "acs_user_id", "acs_system_id", "acs_credential_id", "workspace_id" ->
                    NODES.textNode(fixture.get(param.name()));
            case "device_id" -> NODES.textNode(fixture.get(path.startsWith("/phones/") ? "phone_device_id" : "device_id"));
            case "api_key_id" -> NODES.textNode(randomUuid());
            case "user_identity_key" -> NODES.textNode("fuzz-" + randomUuid());
            case "access_method" -> NODES.textNode("code");
            case "full_name", "name" -> NODES.textNode("Fuzz " + random.nextInt(1_000_000));
            case "battery_level" -> NODES.numberNode(0.5);
            default -> throw new IllegalStateException("No base value for " + param.name() + " of " + path);
        };
    }

    private void with(PlatformEndpoints.Route route, ObjectNode base, Param param, String category, Object value, Expect expect) {
        ObjectNode body = base.deepCopy();
        if (LONE_SURROGATE.equals(value)) {
            // Jackson will not write a lone surrogate; JSON's escape for one is valid syntax.
            body.put(param.name(), "@lone-surrogate@");
            postRaw(route, category, "application/json", new String(ApiCaller.bytes(body), StandardCharsets.UTF_8)
                    .replace("@lone-surrogate@", "\\ud800").getBytes(StandardCharsets.UTF_8), expect);
            return;
        }
        body.set(param.name(), ApiCaller.JSON.valueToTree(value));
        post(route, category, body, expect);
    }

    private void post(PlatformEndpoints.Route route, String category, JsonNode body, Expect expect) {
        postRaw(route, category, "application/json", ApiCaller.bytes(body), expect);
    }

    private void postRaw(PlatformEndpoints.Route route, String category, String contentType, byte[] body, Expect expect) {
        Map<String, String> headers = auth(route);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        add(category, route, "POST", route.path(), headers, body, expect);
    }

    private void add(String category, PlatformEndpoints.Route route, String method, String target, Map<String, String> headers,
                     byte[] body, Expect expect) {
        cases.add(new Case(category, route.path(), method, target, headers, body, expect));
    }

    private Map<String, String> auth(PlatformEndpoints.Route route) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + (route.admin() ? adminToken : apiKey));
        return headers;
    }

    private static Map<String, String> json(Map<String, String> headers) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put("Content-Type", "application/json");
        return copy;
    }

    private static boolean isReplay(PlatformEndpoints.Route route) {
        return route.path().endsWith("/replay");
    }

    private String randomUuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
