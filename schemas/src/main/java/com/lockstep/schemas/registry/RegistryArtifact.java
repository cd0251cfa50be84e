package com.lockstep.schemas.registry;

import org.apache.avro.Schema;

/**
 * Where a schema lives in Apicurio Registry: the coordinates the Apicurio serde computes with
 * {@code io.apicurio.registry.serde.avro.strategy.RecordIdStrategy} (3.1.7): group id = the record's
 * namespace, artifact id = the record's simple name. The serde then sends a missing group as
 * {@code default}. With auto-registration off, the serde only finds a schema registered under
 * exactly these coordinates, so the registrar must use them too.
 */
public record RegistryArtifact(String groupId, String artifactId) {

    /** The group Apicurio uses when a schema has no namespace. */
    static final String DEFAULT_GROUP = "default";

    public static RegistryArtifact of(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD && schema.getType() != Schema.Type.ENUM) {
            throw new IllegalArgumentException(
                    "Only named record or enum schemas can be registered (RecordIdStrategy), got " + schema.getType());
        }
        String namespace = schema.getNamespace();
        return new RegistryArtifact(namespace == null || namespace.isEmpty() ? DEFAULT_GROUP : namespace,
                schema.getName());
    }

    @Override
    public String toString() {
        return groupId + "/" + artifactId;
    }
}
