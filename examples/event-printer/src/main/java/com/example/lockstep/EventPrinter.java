package com.example.lockstep;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A team's first consumer of Lockstep's events: subscribes to every {@code lockstep.*.events} topic
 * and prints each event's type and ids. It knows no Lockstep class: each value's schema comes from
 * the registry (the content id in the record's first bytes), and is read as a {@link GenericRecord}.
 * <p>
 * Usage: {@code EventPrinter <bootstrap servers> <registry v3 URL> [consumer group]}.
 */
public final class EventPrinter implements AutoCloseable {

    /** Lockstep's event topics; state topics ({@code *.state}) and dead letters ({@code *.dlq}) are left out. */
    private static final Pattern EVENT_TOPICS = Pattern.compile("lockstep\\.[a-z_]+\\.events");

    private final KafkaConsumer<String, GenericRecord> consumer;
    private final PrintStream out;

    public EventPrinter(String bootstrapServers, String registryUrl, String consumerGroup, PrintStream out) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
        // A new group reads each topic from its beginning; afterwards it resumes where it stopped.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Lockstep's outbox relay uses an idempotent producer; read_committed is the safe default.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A pattern subscription finds topics created later on its next metadata refresh.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 30_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        config.put(AvroSerdeConfig.REGISTRY_URL, registryUrl);
        this.consumer = new KafkaConsumer<>(config);
        this.out = out;
    }

    /** Prints events until {@link #close()} is called from another thread. */
    public void run() {
        consumer.subscribe(EVENT_TOPICS);
        try {
            while (true) {
                try {
                    for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(500))) {
                        out.println(describe(record));
                    }
                } catch (RecordDeserializationException e) {
                    // Not Avro from the registry: say so and go on (Lockstep dead-letters such records too).
                    out.printf("%s-%d@%d: unreadable record (%s)%n", e.topicPartition().topic(),
                            e.topicPartition().partition(), e.offset(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException stopped) {
            // close() was called
        } finally {
            consumer.close();
        }
    }

    /** One line: topic, the event_type header and value field, and every id field of the event. */
    static String describe(ConsumerRecord<String, GenericRecord> record) {
        GenericRecord event = record.value();
        if (event == null) {
            return record.topic() + " key=" + record.key() + ": tombstone";
        }
        StringJoiner ids = new StringJoiner(" ");
        event.getSchema().getFields().stream()
                .filter(field -> field.name().endsWith("_id") && event.get(field.name()) != null)
                .forEach(field -> ids.add(field.name() + "=" + event.get(field.name())));
        var header = record.headers().lastHeader("event_type");
        String type = header != null ? new String(header.value(), StandardCharsets.UTF_8) : String.valueOf(event.get("event_type"));
        return String.format("%s %s (%s) %s", record.topic(), type, event.getSchema().getFullName(), ids);
    }

    @Override
    public void close() {
        consumer.wakeup();
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: EventPrinter <bootstrap servers> <registry URL, e.g. http://127.0.0.1:8081/apis/registry/v3> [consumer group]");
            System.exit(2);
        }
        EventPrinter printer = new EventPrinter(args[0], args[1], args.length > 2 ? args[2] : "example.event-printer", System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(printer::close));
        printer.run();
    }
}
