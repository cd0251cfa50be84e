package com.lockstep.schemas.registry;

/** A schema version as the registry holds it; the serde writes {@code contentId} into each record. */
public record RegisteredVersion(RegistryArtifact artifact, String version, long globalId, long contentId) {

    @Override
    public String toString() {
        return artifact + " version " + version + " (globalId " + globalId + ", contentId " + contentId + ")";
    }
}
