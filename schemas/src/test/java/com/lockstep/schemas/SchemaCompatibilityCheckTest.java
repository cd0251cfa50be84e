package com.lockstep.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaBuilder.FieldAssembler;
import org.junit.jupiter.api.Test;

import com.lockstep.schemas.SchemaCompatibilityCheck.ReleasedSchema;

/** Proves the build gate rejects incompatible variants, built in memory, and accepts compatible ones. */
class SchemaCompatibilityCheckTest {

    private static final String NAME = "com.lockstep.events.test.ThingChanged";

    private static final Schema RELEASED = record().requiredString("thing_id").endRecord();

    private static final List<ReleasedSchema> RELEASED_V1 = List.of(new ReleasedSchema(NAME, 1, RELEASED));

    @Test
    void acceptsTheReleasedSchemaItself() {
        assertEquals(List.of(), SchemaCompatibilityCheck.problems(List.of(RELEASED), RELEASED_V1));
    }

    @Test
    void acceptsANewOptionalFieldWithDefault() {
        Schema withOptionalField = record().requiredString("thing_id").optionalString("note").endRecord();

        assertEquals(List.of(), SchemaCompatibilityCheck.problems(List.of(withOptionalField), RELEASED_V1));
    }

    @Test
    void rejectsANewFieldWithoutDefault() {
        Schema withRequiredField = record().requiredString("thing_id").requiredString("colour").endRecord();

        List<String> problems = SchemaCompatibilityCheck.problems(List.of(withRequiredField), RELEASED_V1);

        assertTrue(problems.stream().anyMatch(problem -> problem.contains("cannot read data written with released "
                + NAME + " v1") && problem.contains("colour")), problems::toString);
    }

    @Test
    void rejectsAChangedFieldType() {
        Schema withLongId = record().requiredLong("thing_id").endRecord();

        List<String> problems = SchemaCompatibilityCheck.problems(List.of(withLongId), RELEASED_V1);

        assertTrue(problems.stream().anyMatch(problem -> problem.contains("TYPE_MISMATCH")), problems::toString);
    }

    @Test
    void rejectsRemovingAFieldThatConsumersOfTheReleasedVersionNeed() {
        Schema released = record().requiredString("thing_id").requiredString("owner_id").endRecord();
        Schema withoutOwner = record().requiredString("thing_id").endRecord();

        List<String> problems = SchemaCompatibilityCheck.problems(List.of(withoutOwner),
                List.of(new ReleasedSchema(NAME, 1, released)));

        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith("Consumers on released " + NAME + " v1")
                && problem.contains("owner_id")), problems::toString);
    }

    @Test
    void checksEveryReleasedVersionNotOnlyTheLatest() {
        // v1 requires "size"; v2 gave it a default, so dropping it is fine for v2 readers but not for v1 readers.
        Schema v1 = record().requiredString("thing_id").requiredInt("size").endRecord();
        Schema v2 = record().requiredString("thing_id").name("size").type().intType().intDefault(0).endRecord();
        Schema withoutSize = record().requiredString("thing_id").endRecord();

        List<String> problems = SchemaCompatibilityCheck.problems(List.of(withoutSize),
                List.of(new ReleasedSchema(NAME, 1, v1), new ReleasedSchema(NAME, 2, v2)));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("Consumers on released " + NAME + " v1"), problems::toString);
    }

    @Test
    void rejectsRemovingAReleasedRecord() {
        Schema other = SchemaBuilder.record("com.lockstep.events.test.Other").fields().requiredString("id").endRecord();

        List<String> problems = SchemaCompatibilityCheck.problems(List.of(other),
                List.of(new ReleasedSchema(NAME, 1, RELEASED), new ReleasedSchema(other.getFullName(), 1, other)));

        assertEquals(List.of(NAME + " v1 was released but the record no longer exists; consumers and stored events "
                + "still use it, so it cannot be removed or renamed."), problems);
    }

    @Test
    void rejectsARecordWithoutReleasedVersion() {
        Schema unreleased = SchemaBuilder.record("com.lockstep.events.test.New").fields().requiredString("id").endRecord();

        List<String> problems = SchemaCompatibilityCheck.problems(List.of(RELEASED, unreleased), RELEASED_V1);

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("com.lockstep.events.test.New has no released version"), problems::toString);
    }

    private static FieldAssembler<Schema> record() {
        return SchemaBuilder.record(NAME).fields();
    }
}
