package com.lockstep.schemas.registry;

/**
 * The registry refused a schema because a rule on its artifact (the compatibility rule) rejected
 * it: HTTP 409 with a {@code RuleViolationException}.
 */
public class IncompatibleSchemaException extends SchemaRegistrationException {

    private final String schemaName;
    private final RegistryArtifact artifact;
    private final String registryReason;

    public IncompatibleSchemaException(String schemaName, RegistryArtifact artifact, String registryReason) {
        super("Schema " + schemaName + " is incompatible with the versions registered as " + artifact
                + " (rule COMPATIBILITY " + SchemaRegistrar.COMPATIBILITY_LEVEL + "): " + registryReason);
        this.schemaName = schemaName;
        this.artifact = artifact;
        this.registryReason = registryReason;
    }

    /** Full name of the Avro record that was refused. */
    public String schemaName() {
        return schemaName;
    }

    public RegistryArtifact artifact() {
        return artifact;
    }

    /** The registry's explanation (its problem detail and causes). */
    public String registryReason() {
        return registryReason;
    }
}
