package com.lockstep.local;

import java.util.List;
import java.util.Objects;

/**
 * One service of the platform: where its build puts {@code quarkus-app/}, the paths the router
 * sends to it, its database, and an authenticated read endpoint that answers 200 for any valid
 * API key (used to wait until a new key has reached the service through Kafka).
 *
 * @param name the service's name, as in {@code kill("phone-service")} and its log file
 * @param moduleDirectory the Maven module's directory, relative to the project root
 * @param pathPrefixes the path prefixes it serves, each ending with {@code /}
 * @param database the PostgreSQL database it owns
 * @param keyProbePath a {@code GET} endpoint that needs only an API key
 */
public record ServiceSpec(String name, String moduleDirectory, List<String> pathPrefixes, String database,
                          String keyProbePath) {

    public ServiceSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(moduleDirectory);
        pathPrefixes = List.copyOf(pathPrefixes);
        for (String prefix : pathPrefixes) {
            if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
                throw new IllegalArgumentException("A path prefix starts and ends with /: " + prefix);
            }
        }
        Objects.requireNonNull(database);
        Objects.requireNonNull(keyProbePath);
    }
}
