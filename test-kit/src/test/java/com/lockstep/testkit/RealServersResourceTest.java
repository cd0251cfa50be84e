package com.lockstep.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RealServersResourceTest {

    @Test
    void configPointsAtTheSharedServersAndTheServicesOwnDatabase() throws Exception {
        RealServersResource resource = new RealServersResource();
        resource.init(Map.of(RealServersResource.DATABASE, "phone"));

        Map<String, String> config = resource.start();

        RealServers servers = RealServers.get();
        assertEquals(servers.kafka().bootstrapServers(), config.get("lockstep.kafka.bootstrap-servers"));
        assertEquals(servers.apicurio().url(), config.get("lockstep.registry.url"));
        assertEquals(servers.postgres().jdbcUrl("phone"), config.get("quarkus.datasource.jdbc.url"));
        assertEquals("false", config.get("quarkus.devservices.enabled"));
        try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"))) {
            assertEquals("phone", connection.getCatalog());
        }
    }
}
