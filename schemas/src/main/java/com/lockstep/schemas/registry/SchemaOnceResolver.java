package com.lockstep.schemas.registry;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serializer's schema resolver: Apicurio's, asked once per schema. Apicurio's looks a record's
 * schema up by content on every record, writing the schema out as JSON and hashing it, which was a
 * third of credential-service's event handlers' CPU (Flight Recorder, 100,000 revocations). A
 * generated class has one {@link Schema} instance, whose hash is computed once; and what a
 * registered content resolves to (its content id) never changes, so the answer is kept for good.
 */
public class SchemaOnceResolver<T> extends DefaultSchemaResolver<Schema, T> {

    private final Map<Schema, SchemaLookupResult<Schema>> resolved = new ConcurrentHashMap<>();

    @Override
    public SchemaLookupResult<Schema> resolveSchema(Record<T> data) {
        if (data.payload() instanceof GenericContainer record) {
            return resolved.computeIfAbsent(record.getSchema(), schema -> super.resolveSchema(data));
        }
        return super.resolveSchema(data);
    }

    @Override
    public void reset() {
        resolved.clear();
        super.reset();
    }
}
