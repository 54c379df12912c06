package io.hostwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTest {
    @TempDir
    Path dir;

    @Test
    void shouldFindTheHomeOfAJavaOnPathThroughItsSymlinkWhenItIsNotUnderUsrLibJvm() throws IOException {
        // given a JDK 25 somewhere else, linked into a PATH directory as Debian's alternatives do
        Path home = jdk("opt/jdk-25", "25.0.1");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), home.resolve("bin/java"));

        // when
        var homes = JavaRuntimes.javaHomesOnPath(dir.resolve("empty") + ":" + bin);

        // then
        assertThat(homes).containsExactly(home.toRealPath());
        assertThat(JavaRuntimes.featureVersion(homes.get(0))).hasValue(25);
    }

    @Test
    void shouldFindNothingWhenNoJavaIsOnPath() {
        assertThat(JavaRuntimes.javaHomesOnPath(dir + "::")).isEmpty();
    }

    private Path jdk(String where, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(where));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
