package io.hostwatch.nova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs hostwatch-nova's pytest suite (unit tests, then integration tests against a real nova-api from Debian's
 * packages) with this JVM's broker and registry from the testkit. pytest skips the Nova tests with a reason when
 * python3-nova is missing, and fails instead when {@code HOSTWATCH_REQUIRE_EXTERNAL_TOOLS=1} (CI).
 */
@ExtendWith(LocalClusterExtension.class)
class NovaServiceIT {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path REPORT = Path.of("target", "failsafe-reports", "pytest-hostwatch-nova.xml");
    private static final Path LOG = Path.of("target", "pytest-hostwatch-nova.log");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldPassThePythonSuiteAgainstTheLocalClusterAndARealNova(TestCluster cluster) throws Exception {
        // given
        Optional<String> missing = pytestUnavailable();
        if ("1".equals(System.getenv("HOSTWATCH_REQUIRE_EXTERNAL_TOOLS"))) {
            assertThat(missing).as("Debian python3 with pytest").isEmpty();
        }
        assumeTrue(missing.isEmpty(), () -> "hostwatch-nova tests need " + missing.orElse(""));
        Files.createDirectories(REPORT.getParent());
        ProcessBuilder pytest = new ProcessBuilder(PYTHON, "-m", "pytest", "-ra", "-p", "no:cacheprovider",
                "--durations=5", "--junitxml=" + REPORT, "tests")
                .redirectErrorStream(true).redirectOutput(LOG.toFile());
        pytest.environment().put("HOSTWATCH_IT_BOOTSTRAP", cluster.bootstrapServers());
        pytest.environment().put("HOSTWATCH_IT_REGISTRY", cluster.registryUrl());

        // when
        Process process = pytest.start();
        boolean finished = process.waitFor(9, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        // then
        String output = Files.readString(LOG, StandardCharsets.UTF_8);
        assertThat(finished).as("pytest finished within 9 minutes; output:\n%s", output).isTrue();
        assertThat(process.exitValue()).as("pytest exit code; output:\n%s", output).isZero();
        assertThat(output).as("pytest output").containsPattern("\\d+ passed");
    }

    private static Optional<String> pytestUnavailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return Optional.of(PYTHON);
        }
        Process probe = new ProcessBuilder(List.of(PYTHON, "-c", "import pytest"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0
                ? Optional.empty() : Optional.of("python3-pytest (Debian)");
    }
}
