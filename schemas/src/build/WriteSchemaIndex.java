import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step (run by exec-maven-plugin as a single-file program): writes the list of .avsc files
 * the jar ships, so SchemaCatalog can find every schema without a hand-maintained list.
 * Usage: java WriteSchemaIndex.java <avro source dir> <index file>
 */
public class WriteSchemaIndex {
    public static void main(String[] args) throws IOException {
        Path sourceDir = Path.of(args[0]);
        Path indexFile = Path.of(args[1]);
        List<String> schemaFiles;
        try (Stream<Path> files = Files.list(sourceDir)) {
            schemaFiles = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".avsc"))
                    .sorted()
                    .toList();
        }
        if (schemaFiles.isEmpty()) {
            throw new IllegalStateException("No .avsc files in " + sourceDir);
        }
        Files.createDirectories(indexFile.getParent());
        Files.write(indexFile, schemaFiles);
    }
}
