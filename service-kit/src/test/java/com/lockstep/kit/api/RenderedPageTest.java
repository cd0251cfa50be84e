package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies assembled from JSON written beforehand are the bodies the tree-built responses give. */
class RenderedPageTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Row(UUID id, Instant createdAt, String json) {
    }

    private static final List<Row> ROWS = List.of(
            new Row(UUID.randomUUID(), Instant.parse("2026-01-03T00:00:00.123456Z"), "{\"name\":\"Front Door\",\"n\":1}"),
            new Row(UUID.randomUUID(), Instant.parse("2026-01-02T00:00:00Z"), "{\"name\":\"Caf\u00e9 \\\"back\\\"\",\"n\":2.5}"),
            new Row(UUID.randomUUID(), Instant.parse("2026-01-01T00:00:00Z"), "{\"nested\":{\"a\":[true,null]}}"));

    private static SeamRequest request(String params) throws Exception {
        return new SeamRequest(new Params((ObjectNode) MAPPER.readTree(params)), UUID.randomUUID(), "request",
                "http://127.0.0.1:8084/devices/list", null);
    }

    private static JsonNode tree(Row row) {
        try {
            return MAPPER.readTree(row.json());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode rendered(String params, int limit) throws Exception {
        byte[] body = Page.renderedBody("devices", ROWS, limit, request(params), row -> row.json().getBytes(StandardCharsets.UTF_8),
                row -> new PageCursor(row.createdAt(), row.id()));
        return MAPPER.readTree(body);
    }

    private static JsonNode built(String params, int limit) throws Exception {
        SeamResponse response = Page.response("devices", ROWS, limit, request(params), RenderedPageTest::tree,
                row -> new PageCursor(row.createdAt(), row.id()));
        return MAPPER.readTree(MAPPER.writeValueAsBytes(response.body()));
    }

    @Test
    void theLastPageIsTheSameAsTheBuiltOne() throws Exception {
        assertThat(rendered("{}", 10)).isEqualTo(built("{}", 10));
        assertThat(rendered("{}", 3)).isEqualTo(built("{}", 3));
        assertThat(rendered("{}", 3).path("pagination").path("has_next_page").asBoolean()).isFalse();
    }

    @Test
    void aPageWithAnotherAfterItHasTheSameCursorAndUrl() throws Exception {
        JsonNode rendered = rendered("{\"limit\":\"2\",\"device_types\":[\"august_lock\",\"schlage_lock\"]}", 2);
        assertThat(rendered).isEqualTo(built("{\"limit\":\"2\",\"device_types\":[\"august_lock\",\"schlage_lock\"]}", 2));
        assertThat(rendered.path("devices")).hasSize(2);
        assertThat(rendered.path("pagination").path("next_page_url").asText())
                .startsWith("http://127.0.0.1:8084/devices/list?limit=2&device_types=august_lock&device_types=schlage_lock&page_cursor=");
    }

    @Test
    void aSingleValueBodyHasItsKeyAndOk() throws Exception {
        JsonNode body = MAPPER.readTree(RenderedJson.single("device", "{\"device_id\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(body).isEqualTo(MAPPER.readTree("{\"device\":{\"device_id\":\"x\"},\"ok\":true}"));
        assertThat(RenderedJson.shared("{\"ok\":true}".getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aSharedBufferCanBeSentAgainAndAgain() {
        io.vertx.core.buffer.Buffer shared = RenderedJson.shared("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            io.netty.buffer.ByteBuf sent = shared.getByteBuf();
            sent.skipBytes(sent.readableBytes());
            sent.release();
        }
        assertThat(shared.toString()).isEqualTo("{\"a\":1}");
    }

    @Test
    void requestIdsAreRandomVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = SeamRequestFilters.newRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }
}
