package com.lockstep.kit.events;

import com.lockstep.schemas.EventHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * W3C trace context carried with every event, so that one trace runs from an HTTP request through
 * the outbox and Kafka to each consumer's effect, and on to the events that effect publishes.
 * <ul>
 * <li>The outbox stores the {@code traceparent} current when a row is appended.</li>
 * <li>The relay publishes the row under a PRODUCER span, child of that traceparent, which starts
 * when the row was appended: the span's length is the event's wait in the outbox. Its context goes
 * into the record's {@code traceparent} header.</li>
 * <li>A consumer applies records under a CONSUMER span, child of the first record's traceparent
 * and linked to the others' (records applied in one transaction share it); the effect, and the
 * events it appends, run in that span's context.</li>
 * </ul>
 * With no OpenTelemetry SDK (tracing switched off) nothing is recorded, and a traceparent already on
 * a consumed record is still passed on to the events its effect publishes.
 */
public final class EventTracing {

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");
    /** The {@code event_type} header of the records a span covers: what the effect was about. */
    static final AttributeKey<List<String>> EVENT_TYPES = AttributeKey.stringArrayKey("lockstep.event_types");

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };
    private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return List.of(EventHeaders.TRACEPARENT);
        }

        @Override
        public String get(String traceparent, String key) {
            return EventHeaders.TRACEPARENT.equals(key) ? traceparent : null;
        }
    };

    private final Tracer tracer;
    /**
     * Whether an SDK makes spans. Without one, parsing and re-encoding every record's traceparent
     * was a fifth of credential-service's CPU samples while the relay published a backlog
     * (Flight Recorder, 2026-12-07): the relay then copies the row's traceparent as it is.
     */
    private final boolean recording;

    public EventTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("com.lockstep.kit");
        Span probe = tracer.spanBuilder("probe").setNoParent().startSpan();
        this.recording = probe.getSpanContext().isValid();
        probe.end();
    }

    /** Passes traceparents on and records nothing: for clients made outside a service (tests, tools). */
    public static EventTracing off() {
        return new EventTracing(OpenTelemetry.noop());
    }

    /** The current context as a W3C traceparent, or null outside any trace. */
    public static String currentTraceparent() {
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(Context.current(), carrier, Map::put);
        return carrier.get(EventHeaders.TRACEPARENT);
    }

    /**
     * The span under which the relay publishes an outbox row appended at {@code appendedAt} with
     * {@code traceparent} (none: an invalid span, and no header); its context goes into {@code headers}.
     * The caller ends it once Kafka has acknowledged the record.
     */
    public Span startPublish(String traceparent, String topic, Instant appendedAt, Headers headers) {
        if (traceparent == null) {
            return Span.getInvalid();
        }
        if (!recording) {
            headers.add(EventHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
            return Span.getInvalid();
        }
        Context parent = W3C.extract(Context.root(), traceparent, TRACEPARENT_ONLY);
        Span span = tracer.spanBuilder("publish " + topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setStartTimestamp(appendedAt)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .startSpan();
        W3C.inject(parent.with(span), headers, (carrier, key, value) -> {
            carrier.remove(key);
            carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        });
        return span;
    }

    /** The span under which {@code consumerGroup} applies {@code records} in one transaction; the caller makes it current and ends it. */
    public Span startProcess(String consumerGroup, Iterable<? extends ConsumerRecord<?, ?>> records) {
        SpanBuilder span = tracer.spanBuilder("process " + consumerGroup)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(CONSUMER_GROUP, consumerGroup);
        Context parent = null;
        TreeSet<String> topics = new TreeSet<>();
        TreeSet<String> eventTypes = new TreeSet<>();
        long count = 0;
        for (ConsumerRecord<?, ?> record : records) {
            count++;
            topics.add(record.topic());
            String eventType = HEADERS.get(record.headers(), EventHeaders.EVENT_TYPE);
            if (eventType != null) {
                eventTypes.add(eventType);
            }
            Context context = W3C.extract(Context.root(), record.headers(), HEADERS);
            SpanContext sent = Span.fromContext(context).getSpanContext();
            if (!sent.isValid()) {
                continue;
            }
            if (parent == null) {
                parent = context;
            } else if (!sent.equals(Span.fromContext(parent).getSpanContext())) {
                span.addLink(sent);
            }
        }
        if (count == 0) {
            return Span.getInvalid();
        }
        span.setParent(parent == null ? Context.root() : parent)
                .setAttribute(BATCH_SIZE, count)
                .setAttribute(EVENT_TYPES, List.copyOf(eventTypes));
        if (topics.size() == 1) {
            span.setAttribute(DESTINATION, topics.first());
        }
        return span.startSpan();
    }
}
