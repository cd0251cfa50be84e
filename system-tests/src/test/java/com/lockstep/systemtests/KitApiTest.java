package com.lockstep.systemtests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The services, the example and deploy/local use only service-kit's public API: every kit type they
 * import is marked {@code @KitApi}.
 */
class KitApiTest {

    private static final List<String> USERS = List.of("identity-service", "phone-service", "device-gateway", "credential-service",
            "examples", "deploy/local");
    private static final Pattern KIT_IMPORT = Pattern.compile("^import (com\\.lockstep\\.kit\\.[\\w.]+);", Pattern.MULTILINE);
    private static final Pattern MARKED = Pattern.compile("^@KitApi\\s*\\n(?:@\\w+.*\\n)*public ", Pattern.MULTILINE);

    @Test
    void servicesImportOnlyTypesMarkedAsTheKitsApi() throws IOException {
        Path root = PlatformEndpoints.projectRoot();
        Set<String> imported = new TreeSet<>();
        for (String user : USERS) {
            try (Stream<Path> files = Files.walk(root.resolve(user))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/")).toList()) {
                    Matcher matcher = KIT_IMPORT.matcher(Files.readString(file));
                    while (matcher.find()) {
                        imported.add(matcher.group(1));
                    }
                }
            }
        }
        assertTrue(imported.size() > 10, "found only " + imported + " under " + root);
        Set<String> unmarked = new TreeSet<>();
        for (String type : imported) {
            Path source = root.resolve("service-kit/src/main/java").resolve(type.replace('.', '/') + ".java");
            if (!MARKED.matcher(Files.readString(source)).find()) {
                unmarked.add(type);
            }
        }
        assertEquals(Set.of(), unmarked, "kit types used outside the kit but not marked @KitApi");
    }
}
