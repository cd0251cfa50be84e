package com.lockstep.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RealServersTest {

    private final RealServers servers = RealServers.get();

    @Test
    void kafkaDeliversARecord() throws Exception {
        KafkaServer kafka = servers.kafka();
        kafka.createTopic("smoke", 1, false);
        kafka.createTopic("smoke", 1, false);

        send(kafka.bootstrapServers(), "smoke", "key", "hello");

        assertEquals(List.of("hello"), receive(kafka.bootstrapServers(), "smoke", 1));
    }

    @Test
    void postgresRunsSqlInACreatedDatabase() throws Exception {
        PostgresServer postgres = servers.postgres();
        postgres.createDatabase("smoke");
        postgres.createDatabase("smoke");

        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("smoke"), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeting (text varchar(20))");
            statement.execute("INSERT INTO greeting VALUES ('hello')");
            ResultSet result = statement.executeQuery("SELECT text, current_setting('server_version_num')::int FROM greeting");
            assertTrue(result.next());
            assertEquals("hello", result.getString(1));
            assertEquals(17, result.getInt(2) / 10_000);
        }
    }

    @Test
    void registryServesTheLockstepSchemas() throws Exception {
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create(servers.apicurio().url() + "/system/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> artifacts = http.send(HttpRequest.newBuilder(URI.create(servers.apicurio().url() + "/search/artifacts")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, info.statusCode());
        assertTrue(info.body().contains("\"version\":\"" + ApicurioDistribution.VERSION + "\""), info.body());
        assertEquals(200, artifacts.statusCode());
        assertTrue(!artifacts.body().contains("\"count\":0"), artifacts.body());
    }

    static void send(String bootstrapServers, String topic, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Reads {@code count} values of the topic from the beginning, waiting up to 20 s. */
    static List<String> receive(String bootstrapServers, String topic, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
