package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Params params(String json) throws Exception {
        return new Params((ObjectNode) MAPPER.readTree(json));
    }

    @Test
    void queryStringTextIsReadAsNumbersAndBooleans() throws Exception {
        Params params = params("{\"limit\": \"25\", \"flag\": \"true\"}");
        assertThat(params.optionalInt("limit", 1, 100)).isEqualTo(25);
        assertThat(params.optionalBoolean("flag")).isTrue();
        params.validate();
    }

    @Test
    void arraysComeAsArraysOrAsOneQueryValue() throws Exception {
        UUID id = UUID.randomUUID();
        assertThat(params("{\"ids\": [\"" + id + "\"]}").optionalUuidList("ids")).containsExactly(id);
        assertThat(params("{\"ids\": \"" + id + "\"}").optionalUuidList("ids")).containsExactly(id);
        assertThat(params("{\"ids\": null}").optionalUuidList("ids")).isEmpty();
        assertThat(params("{}").optionalUuidList("ids")).isNull();
    }

    @Test
    void problemsAreReportedPerParameterInZodsShape() throws Exception {
        Params params = params("{\"device_id\": 5, \"ids\": [\"x\"], \"meta\": {\"os\": 1}}");
        params.requiredUuid("device_id");
        params.optionalUuidList("ids");
        params.requiredString("name");
        Params meta = params.nested("meta");
        meta.optionalString("os");
        meta.validate();
        assertThatThrownBy(params::validate).isInstanceOfSatisfying(SeamException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo("invalid_input");
            assertThat(e.validationErrors().get("_errors")).isEmpty();
            assertThat(e.validationErrors().at("/device_id/_errors/0").asText()).isEqualTo("Expected string, received number");
            assertThat(e.validationErrors().at("/ids/_errors/0").asText()).isEqualTo("Invalid uuid");
            assertThat(e.validationErrors().at("/name/_errors/0").asText()).isEqualTo("Required");
            assertThat(e.validationErrors().at("/meta/os/_errors/0").asText()).isEqualTo("Expected string, received number");
            assertThat(List.of(e.getMessage().split("; "))).hasSize(4);
        });
    }

    @Test
    void whatPostgresCannotStoreIsInvalidInputNotAServerError() throws Exception {
        Params params = params("{\"name\": \"a\\u0000b\", \"tags\": [\"\\u0000\"], \"meta\": {\"k\": [\"x\\u0000\"]},"
                + " \"far\": \"+1000000-01-01T00:00:00Z\", \"page_cursor\": \""
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("99999999999999:0:" + UUID.randomUUID()).getBytes())
                + "\"}");
        assertThat(params.optionalString("name")).isNull();
        assertThat(params.optionalStringList("tags")).isNull();
        assertThat(params.optionalObject("meta")).isNull();
        assertThat(params.optionalInstant("far")).isNull();
        assertThat(PageCursor.read(params)).isNull();
        assertThatThrownBy(params::validate).isInstanceOfSatisfying(SeamException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.validationErrors().fieldNames()).toIterable()
                    .contains("name", "tags", "meta", "far", "page_cursor");
        });
        assertThat(params("{\"at\": \"9999-12-31T00:00:00Z\"}").optionalInstant("at")).isNotNull();
    }
}
