package com.lockstep.kit.events;

import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.schemas.EventHeaders;
import com.lockstep.kit.db.Database;
import com.lockstep.kit.events.inbox.EventSubscription;
import com.lockstep.kit.events.inbox.Inbox;
import com.lockstep.kit.events.outbox.Outbox;
import com.lockstep.kit.events.outbox.OutboxRelay;
import com.lockstep.testkit.RealServers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from a request through the outbox, Kafka and a consumer's effect to the events that
 * effect publishes and the next consumer, on a real PostgreSQL and Kafka, with the OpenTelemetry SDK
 * recording in memory.
 */
class EventTracingTest {

    private static final String DATABASE = "kit_tracing";
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static RealServers servers;
    private static Database database;
    private static OpenTelemetrySdk openTelemetry;
    private static KafkaClients clients;
    private static Outbox outbox;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void start() {
        servers = RealServers.get();
        database = KitTestBed.migratedDatabase(servers, DATABASE);
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                .build();
        clients = new KafkaClients(servers.kafka().bootstrapServers(), servers.apicurio().url(), "kit-tracing-test",
                Optional.empty(), new EventTracing(openTelemetry));
        outbox = new Outbox(clients.eventSerializer());
    }

    @AfterAll
    static void stop() {
        openTelemetry.close();
    }

    @Test
    void oneTraceRunsFromTheRequestThroughEachConsumerAndTheEventsItsEffectPublishes() throws Exception {
        String requested = newTopic();
        String caused = newTopic();
        Span request = openTelemetry.getTracer("test").spanBuilder("POST /phones/deactivate").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope inRequest = request.makeCurrent()) {
            database.inTransaction(tx -> append(tx, requested, "phone-1"));
        } finally {
            request.end();
        }
        database.inTransaction(tx -> append(tx, requested, "phone-untraced"));
        assertThat(storedTraceparents()).containsExactlyInAnyOrder(
                "00-" + request.getSpanContext().getTraceId() + "-" + request.getSpanContext().getSpanId() + "-01", null);

        AtomicReference<SpanContext> firstEffect = new AtomicReference<>();
        AtomicReference<SpanContext> secondEffect = new AtomicReference<>();
        EventSubscription first = EventSubscription.of("kit-tracing-first-" + UUID.randomUUID(), requested)
                .on(PhoneRegistered.class, (tx, event) -> {
                    if (event.getDeviceId().equals("phone-1")) {
                        firstEffect.set(Span.current().getSpanContext());
                        append(tx, caused, "phone-1");
                    }
                });
        EventSubscription second = EventSubscription.of("kit-tracing-second-" + UUID.randomUUID(), caused)
                .on(PhoneRegistered.class, (tx, event) -> secondEffect.set(Span.current().getSpanContext()));
        OutboxRelay relay = new OutboxRelay(servers.postgres().jdbcUrl(DATABASE), servers.postgres().username(),
                servers.postgres().password(), clients, "kit-tracing-relay");
        running.add(relay);
        relay.start();
        Inbox inbox = new Inbox(database, clients);
        KitTestBed.applyTopic(inbox, clients, first, 2);
        KitTestBed.applyTopic(inbox, clients, second, 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> secondEffect.get() != null);
        await().atMost(Duration.ofSeconds(5)).until(() -> spanOf(secondEffect.get()).isPresent());

        String traceId = request.getSpanContext().getTraceId();
        SpanData firstProcess = spanOf(firstEffect.get()).orElseThrow();
        SpanData secondProcess = spanOf(secondEffect.get()).orElseThrow();
        SpanData firstPublish = span(firstProcess.getParentSpanId());
        SpanData secondPublish = span(secondProcess.getParentSpanId());
        assertThat(List.of(firstPublish, firstProcess, secondPublish, secondProcess))
                .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(traceId));
        assertThat(firstPublish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(firstPublish.getName()).isEqualTo("publish " + requested);
        assertThat(firstPublish.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(firstProcess.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(firstProcess.getAttributes().get(EventTracing.EVENT_TYPES)).contains("phone.registered");
        assertThat(secondPublish.getParentSpanId()).isEqualTo(firstProcess.getSpanId());
        assertThat(secondPublish.getName()).isEqualTo("publish " + caused);
        // The publish span starts when its row was appended: the event's wait in the outbox.
        assertThat(secondPublish.getStartEpochNanos()).isLessThanOrEqualTo(secondProcess.getStartEpochNanos());
    }

    @Test
    void withoutAnSdkTheRelayPassesTheRowsTraceparentOnAsItIs() {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        RecordHeaders headers = new RecordHeaders();
        Span span = EventTracing.off().startPublish(traceparent, "lockstep.phone.events", Instant.now(), headers);
        assertThat(span.getSpanContext().isValid()).isFalse();
        assertThat(new String(headers.lastHeader(EventHeaders.TRACEPARENT).value(), StandardCharsets.UTF_8)).isEqualTo(traceparent);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
    }

    private static Optional<SpanData> spanOf(SpanContext context) {
        return SPANS.getFinishedSpanItems().stream().filter(span -> span.getSpanId().equals(context.getSpanId())).findFirst();
    }

    private static SpanData span(String spanId) {
        return SPANS.getFinishedSpanItems().stream().filter(span -> span.getSpanId().equals(spanId)).findFirst()
                .orElseThrow(() -> new AssertionError("no finished span " + spanId + " among " + SPANS.getFinishedSpanItems()));
    }

    private static Void append(Connection tx, String topic, String key) throws Exception {
        outbox.append(tx, topic, key, KitTestBed.phoneRegistered(key, 1));
        return null;
    }

    private static List<String> storedTraceparents() throws Exception {
        return database.read(c -> {
            List<String> traceparents = new ArrayList<>();
            try (Statement statement = c.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT traceparent FROM outbox_event ORDER BY id")) {
                while (rows.next()) {
                    traceparents.add(rows.getString(1));
                }
            }
            return traceparents;
        });
    }

    private static String newTopic() {
        return KitTestBed.newTopic(servers, "kit-tracing.");
    }
}
