package com.lockstep.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Every Avro schema of this module, found through the index of .avsc files written at build time
 * (META-INF/lockstep/avro/index.txt), so adding a .avsc file is all it takes to publish a schema.
 */
public final class SchemaCatalog {

    /** Where the .avsc files are on the classpath. */
    public static final String AVSC_RESOURCE_DIR = "META-INF/lockstep/avro/";

    private static final String INDEX_RESOURCE = AVSC_RESOURCE_DIR + "index.txt";

    private static final SpecificData GENERATED_CLASSES = new SpecificData(SchemaCatalog.class.getClassLoader());

    private SchemaCatalog() {
    }

    /**
     * The schema of each generated record class, exactly as {@code getClassSchema()} returns it.
     * That is the schema the Apicurio serializer sends when it looks a record's schema up by content,
     * and it differs from the .avsc text: the Avro compiler adds {@code "avro.java.string": "String"}
     * to string types.
     */
    public static List<Schema> schemas() {
        return avscFileNames().stream().map(SchemaCatalog::generatedClassSchema).toList();
    }

    /** The .avsc file names listed in the index, e.g. {@code PhoneRegistered.avsc}. */
    public static List<String> avscFileNames() {
        try (InputStream index = openResource(INDEX_RESOURCE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + INDEX_RESOURCE, e);
        }
    }

    private static Schema generatedClassSchema(String avscFileName) {
        Schema avsc = parseAvsc(avscFileName);
        Class<?> recordClass = GENERATED_CLASSES.getClass(avsc);
        if (recordClass == null) {
            throw new IllegalStateException(
                    "No generated class " + avsc.getFullName() + " for " + avscFileName);
        }
        return GENERATED_CLASSES.getSchema(recordClass);
    }

    private static Schema parseAvsc(String avscFileName) {
        try (InputStream avsc = openResource(AVSC_RESOURCE_DIR + avscFileName)) {
            return new Schema.Parser().parse(avsc);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + avscFileName, e);
        }
    }

    private static InputStream openResource(String name) {
        InputStream stream = SchemaCatalog.class.getClassLoader().getResourceAsStream(name);
        if (stream == null) {
            throw new IllegalStateException("Missing classpath resource " + name);
        }
        return stream;
    }
}
