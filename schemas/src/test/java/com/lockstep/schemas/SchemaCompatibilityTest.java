package com.lockstep.schemas;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The build gate: the schemas about to ship must be compatible with every released version. */
class SchemaCompatibilityTest {

    private static final Path RELEASED_DIR = Path.of("src/main/avro-released");

    @Test
    void currentSchemasAreCompatibleWithEveryReleasedVersion() throws IOException {
        List<SchemaCompatibilityCheck.ReleasedSchema> released = SchemaCompatibilityCheck.loadReleased(RELEASED_DIR);
        assertFalse(released.isEmpty(), "No released schemas found in " + RELEASED_DIR.toAbsolutePath());

        List<String> problems = SchemaCompatibilityCheck.problems(SchemaCatalog.schemas(), released);

        assertTrue(problems.isEmpty(), () -> "Incompatible schema change (rule FULL_TRANSITIVE, see schemas/README.md):\n  "
                + String.join("\n  ", problems));
    }
}
