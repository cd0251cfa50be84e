package com.lockstep.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

import com.lockstep.schemas.registry.SchemaRegistrar;

/**
 * The registry's compatibility rule ({@link SchemaRegistrar#COMPATIBILITY_LEVEL}, FULL_TRANSITIVE),
 * checked at build time against the released versions kept in src/main/avro-released, so an
 * incompatible change fails the build instead of the deployment.
 */
final class SchemaCompatibilityCheck {

    /** One released version: src/main/avro-released/{recordName}/v{version}.avsc. */
    record ReleasedSchema(String recordName, int version, Schema schema) {
        String label() {
            return recordName + " v" + version;
        }
    }

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    private SchemaCompatibilityCheck() {
    }

    static List<ReleasedSchema> loadReleased(Path releasedDir) throws IOException {
        List<ReleasedSchema> released = new ArrayList<>();
        try (Stream<Path> recordDirs = Files.list(releasedDir)) {
            for (Path recordDir : recordDirs.sorted().toList()) {
                try (Stream<Path> versionFiles = Files.list(recordDir)) {
                    for (Path versionFile : versionFiles.sorted().toList()) {
                        released.add(readReleased(recordDir.getFileName().toString(), versionFile));
                    }
                }
            }
        }
        released.sort(Comparator.comparing(ReleasedSchema::recordName).thenComparing(ReleasedSchema::version));
        return released;
    }

    private static ReleasedSchema readReleased(String recordName, Path versionFile) throws IOException {
        Matcher versionName = VERSION_FILE.matcher(versionFile.getFileName().toString());
        if (!versionName.matches()) {
            throw new IllegalStateException("Released schema files are named v<N>.avsc: " + versionFile);
        }
        Schema schema = new Schema.Parser().parse(versionFile.toFile());
        if (!schema.getFullName().equals(recordName)) {
            throw new IllegalStateException(versionFile + " defines " + schema.getFullName()
                    + ", but its directory says " + recordName);
        }
        return new ReleasedSchema(recordName, Integer.parseInt(versionName.group(1)), schema);
    }

    /** Every way the current schemas break the rule; empty when they are compatible. */
    static List<String> problems(List<Schema> current, List<ReleasedSchema> released) {
        Map<String, Schema> currentByName = current.stream()
                .collect(Collectors.toMap(Schema::getFullName, Function.identity()));
        List<String> problems = new ArrayList<>();
        for (ReleasedSchema version : released) {
            Schema schema = currentByName.get(version.recordName());
            if (schema == null) {
                problems.add(version.label() + " was released but the record no longer exists; "
                        + "consumers and stored events still use it, so it cannot be removed or renamed.");
                continue;
            }
            // Backward: the current schema reads events written with the released version (replay).
            describe(SchemaCompatibility.checkReaderWriterCompatibility(schema, version.schema()))
                    .forEach(reason -> problems.add("The current " + version.recordName()
                            + " cannot read data written with released " + version.label() + ": " + reason));
            // Forward: consumers still on the released version read what the current schema writes.
            describe(SchemaCompatibility.checkReaderWriterCompatibility(version.schema(), schema))
                    .forEach(reason -> problems.add("Consumers on released " + version.label()
                            + " cannot read data written with the current " + version.recordName() + ": " + reason));
        }
        Set<String> releasedNames = released.stream().map(ReleasedSchema::recordName).collect(Collectors.toSet());
        currentByName.keySet().stream().filter(name -> !releasedNames.contains(name)).sorted()
                .forEach(name -> problems.add(name + " has no released version: add its .avsc as "
                        + "src/main/avro-released/" + name + "/v1.avsc"));
        return problems;
    }

    private static List<String> describe(SchemaPairCompatibility compatibility) {
        if (compatibility.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return compatibility.getResult().getIncompatibilities().stream()
                .map(incompatibility -> incompatibility.getType() + " at " + incompatibility.getLocation()
                        + " (" + incompatibility.getMessage() + ")")
                .toList();
    }
}
