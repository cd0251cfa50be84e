package com.lockstep.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.lockstep.local.LocalPlatform;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces switched on, exported over OTLP (HTTP, protobuf) to a collector in this test: one trace
 * runs from {@code phones.deactivate} in phone-service, through the revocation of the phone's key
 * in credential-service, to its removal from the ACS in device-gateway.
 */
class TraceAcrossServicesTest {

    /** How long a finished span may take to reach the collector: the batch processor's delay is set to 50 ms. */
    private static final Duration EXPORTED_WITHIN = Duration.ofSeconds(15);
    /** The child key reaches the new phone asynchronously, as in Seam; measured well under a second here. */
    private static final Duration CHILD_ISSUED_WITHIN = Duration.ofSeconds(10);

    private static Collector collector;
    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;
    private static ApiCaller api;

    @BeforeAll
    static void start() throws IOException {
        collector = Collector.start();
        temporary = TemporaryPlatform.start("lockstep-traces-", Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.traces.endpoint", collector.url(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "50ms"));
        platform = temporary.platform();
        api = new ApiCaller(new RawHttp(platform.baseUrl()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (temporary != null) {
            temporary.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void oneTraceRunsFromPhonesDeactivateThroughTheRevocationToTheRemovalFromTheAcs() throws Exception {
        String key = platform.sandboxApiKey();
        String acsSystemId = null;
        for (JsonNode system : api.ok(key, "/acs/systems/list", ApiCaller.params()).get("acs_systems")) {
            if (system.path("is_credential_manager").asBoolean()) {
                acsSystemId = system.get("acs_system_id").asText();
            }
        }
        assertTrue(acsSystemId != null, "the sandbox has a credential manager");
        String userIdentityId = api.ok(key, "/user_identities/create", ApiCaller.params("full_name", "Traced Owner"))
                .at("/user_identity/user_identity_id").asText();
        String acsUserId = api.ok(key, "/acs/users/create", ApiCaller.params("acs_system_id", acsSystemId,
                "user_identity_id", userIdentityId, "full_name", "Traced Owner")).at("/acs_user/acs_user_id").asText();
        String parentId = api.ok(key, "/acs/credentials/create", ApiCaller.params("acs_user_id", acsUserId,
                "access_method", "mobile_key", "is_multi_phone_sync_credential", true)).at("/acs_credential/acs_credential_id").asText();
        String deviceId = api.ok(key, "/phones/simulate/create_sandbox_phone", ApiCaller.params("user_identity_id", userIdentityId))
                .at("/phone/device_id").asText();
        api.until(key, "/acs/credentials/list", ApiCaller.params("acs_user_id", acsUserId),
                list -> list.get("acs_credentials").findValuesAsText("parent_acs_credential_id").contains(parentId),
                CHILD_ISSUED_WITHIN, "the phone's child key");

        api.ok(key, "/phones/deactivate", ApiCaller.params("device_id", deviceId));

        Instant deadline = Instant.now().plus(EXPORTED_WITHIN);
        Optional<List<Exported>> chain = Optional.empty();
        while (chain.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            chain = collector.spans().stream()
                    .filter(span -> span.service().equals("device-gateway") && span.span().getKind() == Span.SpanKind.SPAN_KIND_CONSUMER
                            && span.stringValues("lockstep.event_types").contains("acs_credential.deleted"))
                    .map(collector::ancestry)
                    .filter(ancestry -> ancestry.get(ancestry.size() - 1).isServerSpanOf("phone-service", "/phones/deactivate"))
                    .findFirst();
        }
        if (chain.isEmpty()) {
            fail("no trace from phones.deactivate to device-gateway's removal within " + EXPORTED_WITHIN.toSeconds()
                    + " s; spans exported: " + collector.spans().stream().map(Exported::toString).collect(Collectors.joining("\n"))
                    + "\nwhat the services logged at WARN and above:\n" + warningsLogged() + "\nthe collector's failures: " + collector.failures());
        }
        List<String> path = chain.get().stream().map(Exported::toString).toList();
        System.out.println("[trace-test] from the removal on the ACS back to the request:\n  " + String.join("\n  ", path));
        List<String> services = chain.get().stream().map(Exported::service).distinct().toList();
        assertEquals(List.of("device-gateway", "credential-service", "phone-service"), services, String.join("\n", path));
        assertTrue(chain.get().stream().anyMatch(span -> span.service().equals("credential-service")
                && span.span().getKind() == Span.SpanKind.SPAN_KIND_CONSUMER
                && span.stringValues("lockstep.event_types").contains("phone.deactivated")), String.join("\n", path));
    }

    private static String warningsLogged() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String service : platform.services()) {
            for (String line : Files.readAllLines(platform.serviceLog(service))) {
                if (line.matches(".*(WARN|ERROR).*")) {
                    lines.append(service).append(": ").append(line).append('\n');
                }
            }
        }
        return lines.toString();
    }

    /** A span as exported, with the service that exported it. */
    record Exported(String service, Span span) {

        String id() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        List<String> stringValues(String attribute) {
            for (KeyValue pair : span.getAttributesList()) {
                if (pair.getKey().equals(attribute)) {
                    AnyValue value = pair.getValue();
                    return value.hasArrayValue()
                            ? value.getArrayValue().getValuesList().stream().map(AnyValue::getStringValue).toList()
                            : List.of(value.getStringValue());
                }
            }
            return List.of();
        }

        boolean isServerSpanOf(String service, String path) {
            return this.service.equals(service) && span.getKind() == Span.SpanKind.SPAN_KIND_SERVER
                    && (span.getName().endsWith(" " + path) || stringValues("url.path").contains(path)
                    || stringValues("http.route").contains(path));
        }

        @Override
        public String toString() {
            return service + " " + span.getKind() + " '" + span.getName() + "' " + traceId() + "/" + id() + " <- " + parentId();
        }
    }

    /** An OTLP/HTTP receiver on a free loopback port, keeping every span it is sent. */
    static final class Collector implements AutoCloseable {

        private final HttpServer server;
        private final Map<String, Exported> spansById = new ConcurrentHashMap<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();

        private Collector(HttpServer server) {
            this.server = server;
        }

        static Collector start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            Collector collector = new Collector(server);
            server.createContext("/v1/traces", exchange -> {
                try (exchange; InputStream body = exchange.getRequestBody()) {
                    collector.accept(ExportTraceServiceRequest.parseFrom(body));
                    byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
                    exchange.getResponseBody().write(response);
                } catch (Throwable e) {
                    // Thrown out of the handler, it would stop the server's one thread: keep it for the failure message.
                    collector.failures.add(e.toString());
                    exchange.sendResponseHeaders(500, -1);
                }
            });
            server.start();
            return collector;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void accept(ExportTraceServiceRequest request) {
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = resource.getResource().getAttributesList().stream()
                        .filter(pair -> pair.getKey().equals("service.name")).map(pair -> pair.getValue().getStringValue())
                        .findFirst().orElse("?");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        Exported exported = new Exported(service, span);
                        spansById.put(exported.id(), exported);
                    }
                }
            }
        }

        List<String> failures() {
            return failures;
        }

        List<Exported> spans() {
            return new ArrayList<>(spansById.values());
        }

        /** {@code span}, its parent, and so on up to the first span whose parent was not exported. */
        List<Exported> ancestry(Exported span) {
            List<Exported> ancestry = new ArrayList<>(List.of(span));
            Exported parent;
            while ((parent = spansById.get(ancestry.get(ancestry.size() - 1).parentId())) != null) {
                ancestry.add(parent);
            }
            return ancestry;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
