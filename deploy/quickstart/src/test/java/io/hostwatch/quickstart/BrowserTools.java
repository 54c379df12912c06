package io.hostwatch.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where Debian's {@code chromium} and {@code chromium-driver} are, found on PATH (nothing is ever downloaded), and
 * the project's rule for tests that need external tools: skip with a one-line reason when they are missing, fail
 * instead when {@code HOSTWATCH_REQUIRE_EXTERNAL_TOOLS=1} (CI). A local stand-in for the testkit's shared
 * assumption helper; switch to it when both are on one branch.
 */
final class BrowserTools {
    static final String REQUIRE_ENV = "HOSTWATCH_REQUIRE_EXTERNAL_TOOLS";

    private BrowserTools() {}

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Optional<String> unavailableReason() {
        if (onPath("chromium").isEmpty()) {
            return Optional.of("chromium not on PATH (apt-get install -y chromium chromium-driver)");
        }
        if (onPath("chromedriver").isEmpty()) {
            return Optional.of("chromedriver not on PATH (apt-get install -y chromium-driver)");
        }
        return Optional.empty();
    }

    /** Skips the test for {@code what} when a tool is missing, or fails it when CI requires the tools. */
    static void assumeAvailable(String what, Optional<String> unavailable) {
        if ("1".equals(System.getenv(REQUIRE_ENV))) {
            assertThat(unavailable)
                    .as(what + " needs its tools (" + REQUIRE_ENV + "=1)")
                    .isEmpty();
        }
        assumeTrue(unavailable.isEmpty(), () -> what + " skipped: " + unavailable.orElse(""));
    }
}
