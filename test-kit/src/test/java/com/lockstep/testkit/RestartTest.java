package com.lockstep.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Fault tests restart servers under a running system: ports and data must survive. */
class RestartTest {

    @Test
    void kafkaKeepsItsPortsAndRecords() throws Exception {
        try (KafkaServer kafka = new KafkaServer()) {
            kafka.start();
            String bootstrapServers = kafka.bootstrapServers();
            kafka.createTopic("kept", 1, true);
            RealServersTest.send(bootstrapServers, "kept", "key", "before restart");

            kafka.restart();

            assertEquals(bootstrapServers, kafka.bootstrapServers());
            RealServersTest.send(bootstrapServers, "kept", "key", "after restart");
            assertEquals(List.of("before restart", "after restart"), RealServersTest.receive(bootstrapServers, "kept", 2));
        }
    }

    @Test
    void postgresKeepsItsPortAndData() throws Exception {
        try (PostgresServer postgres = new PostgresServer()) {
            postgres.start();
            int port = postgres.port();
            postgres.createDatabase("kept");
            execute(postgres, "CREATE TABLE kept (text varchar(20))", "INSERT INTO kept VALUES ('before restart')");

            postgres.restart();

            assertEquals(port, postgres.port());
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("kept"), postgres.username(), postgres.password());
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT text FROM kept")) {
                assertTrue(result.next());
                assertEquals("before restart", result.getString(1));
            }
        }
    }

    private static void execute(PostgresServer postgres, String... sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("kept"), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}
