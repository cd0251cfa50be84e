package com.lockstep.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Lockstep source tree the platform runs from: the services' builds live under it. Found, in
 * order, from the system property {@code lockstep.project-root}, the environment variable
 * {@code LOCKSTEP_PROJECT_ROOT}, the location of this class (its jar or classes directory sits
 * under {@code deploy/local/target/}) and the working directory.
 */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("lockstep.project-root");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("LOCKSTEP_PROJECT_ROOT");
        }
        if (configured != null && !configured.isBlank()) {
            Path root = Path.of(configured).toAbsolutePath().normalize();
            if (!isRoot(root)) {
                throw new IllegalStateException(root + " is not the Lockstep project root (no pom.xml and deploy/local/ there)");
            }
            return root;
        }
        return codeLocation().flatMap(ProjectRoot::searchUpwards)
                .or(() -> searchUpwards(Path.of("").toAbsolutePath()))
                .orElseThrow(() -> new IllegalStateException("Cannot find the Lockstep project root: run from inside it,"
                        + " or set -Dlockstep.project-root or LOCKSTEP_PROJECT_ROOT"));
    }

    private static Optional<Path> codeLocation() {
        try {
            return Optional.of(Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> searchUpwards(Path start) {
        for (Path directory = start.toAbsolutePath().normalize(); directory != null; directory = directory.getParent()) {
            if (isRoot(directory)) {
                return Optional.of(directory);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot(Path directory) {
        return Files.isRegularFile(directory.resolve("pom.xml")) && Files.isDirectory(directory.resolve("deploy/local"));
    }
}
