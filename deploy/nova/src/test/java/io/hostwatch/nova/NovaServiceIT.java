package io.hostwatch.nova;

import static org.assertj.core.api.Assertions.assertThat;

import io.hostwatch.testkit.ExternalTools;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs hostwatch-nova's pytest suite (unit tests, then integration tests against a real nova-api from Debian's
 * packages) with this JVM's broker and registry from the testkit. Without a {@code python3} that has pytest and the
 * Kafka clients this test skips (or fails, see {@link ExternalTools}); pytest itself skips the Nova tests with a
 * reason when python3-nova is missing, and fails them instead when {@code HOSTWATCH_REQUIRE_EXTERNAL_TOOLS=1} (CI).
 */
@ExtendWith(LocalClusterExtension.class)
class NovaServiceIT {
    private static final Path REPORT = Path.of("target", "failsafe-reports", "pytest-hostwatch-nova.xml");
    private static final Path LOG = Path.of("target", "pytest-hostwatch-nova.log");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldPassThePythonSuiteAgainstTheLocalClusterAndARealNova(TestCluster cluster) throws Exception {
        // given
        Path python = ExternalTools.system()
                .requirePythonModules("pytest", "confluent_kafka", "avro", "requests", "prometheus_client");
        Files.createDirectories(REPORT.getParent());
        List<String> command = new ArrayList<>(List.of(
                python.toString(),
                "-m",
                "pytest",
                "-ra",
                "-p",
                "no:cacheprovider",
                "--durations=5",
                "--junitxml=" + REPORT,
                "tests"));
        // a developer's shortcut: -Dhostwatch.pytest.k=EXPRESSION runs only the matching tests (pytest -k)
        String only = System.getProperty("hostwatch.pytest.k", "");
        if (!only.isBlank()) {
            command.addAll(List.of("-k", only));
        }
        ProcessBuilder pytest =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOG.toFile());
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
        assertThat(finished)
                .as("pytest finished within 9 minutes; output:\n%s", output)
                .isTrue();
        assertThat(process.exitValue())
                .as("pytest exit code; output:\n%s", output)
                .isZero();
        assertThat(output).as("pytest output").containsPattern("\\d+ passed");
    }
}
