package io.hostwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolsTest {
    private static final Optional<Integer> ROOT = Optional.of(0);
    private static final Optional<Integer> USER = Optional.of(1000);

    @TempDir
    Path dir;

    @Test
    void shouldReturnTheFirstExecutableOnPathWhenTheToolIsThere() throws IOException {
        // given two PATH directories with ping, and a non-executable ping before them
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Files.writeString(plain.resolve("ping"), "not executable");
        Path first = executable("first", "ping", "exit 0");
        executable("second", "ping", "exit 0");
        ExternalTools tools = tools(path(plain, first, dir.resolve("second")), false, ROOT);

        // when
        Path ping = tools.requireTool("ping");

        // then
        assertThat(ping).isEqualTo(first.resolve("ping"));
    }

    @Test
    void shouldSkipWithAOneLineReasonWhenTheToolIsNotOnPath() throws IOException {
        // given a PATH with other tools but no ping (/usr/bin/ping may exist: it must not be looked at)
        ExternalTools tools = tools(path(executable("bin", "ip", "exit 0")), false, ROOT);

        // when / then
        assertThatThrownBy(() -> tools.requireTool("ping"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs `ping` on PATH (apt-get install -y iputils-ping)")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldFailWithTheSameReasonWhenTheToolIsMissingAndToolsAreRequired() throws IOException {
        // given
        ExternalTools tools = tools(path(executable("bin", "ip", "exit 0")), true, ROOT);

        // when / then
        assertThatThrownBy(() -> tools.requireTool("nft"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("needs `nft` on PATH (apt-get install -y nftables)")
                .hasMessageContaining(ExternalTools.REQUIRE_ENV + "=1");
    }

    @Test
    void shouldNameEveryMissingToolInOneLineWhenSeveralAreRequired() throws IOException {
        // given
        Path bin = executable("bin", "ip", "exit 0");
        ExternalTools lenient = tools(path(bin), false, ROOT);
        ExternalTools strict = tools(path(bin), true, ROOT);

        // when / then
        assertThat(lenient.requireTools("ip")).containsExactly(bin.resolve("ip"));
        assertThatThrownBy(() -> lenient.requireTools("nft", "ip", "ping", "chattr"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage(
                        "needs `nft`, `ping`, `chattr` on PATH (apt-get install -y nftables iputils-ping e2fsprogs)");
        assertThatThrownBy(() -> strict.requireTools("nft", "ip", "ping", "chattr"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("needs `nft`, `ping`, `chattr` on PATH");
    }

    @Test
    void shouldReadTheRequireFlagFromTheEnvironment() {
        assertThat(new ExternalTools(Map.of(ExternalTools.REQUIRE_ENV, "1"), () -> ROOT, "Linux").strict())
                .isTrue();
        assertThat(new ExternalTools(Map.of(ExternalTools.REQUIRE_ENV, "0"), () -> ROOT, "Linux").strict())
                .isFalse();
        assertThat(new ExternalTools(Map.of(), () -> ROOT, "Linux").strict()).isFalse();
    }

    @Test
    void shouldSkipWhenNotRootAndFailWhenNotRootAndToolsAreRequired() {
        // given
        ExternalTools lenient = tools("", false, USER);
        ExternalTools strict = tools("", true, USER);

        // when / then
        assertThatThrownBy(() -> lenient.requireRoot("to create test hosts"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs root (effective uid 0) to create test hosts; running as uid 1000");
        assertThatThrownBy(() -> strict.requireRoot("to create test hosts"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("running as uid 1000");
        assertThat(tools("", true, ROOT).requireRoot("to create test hosts")).isZero();
    }

    @Test
    void shouldTreatAnUnknownUidAsNotRoot() {
        assertThatThrownBy(() -> tools("", false, Optional.empty()).requireRoot("for netns"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("running as uid unknown");
    }

    @Test
    void shouldSkipTestHostsForANonRootUserEvenWithIpOnPath() throws IOException {
        // given
        ExternalTools tools = tools(path(executable("bin", "ip", "exit 0")), false, USER);

        // when / then
        assertThatThrownBy(tools::requireTestHosts)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs root");
    }

    @Test
    void shouldSkipTestHostsWhenIpIsMissingOrNetnsDoesNotWork() throws IOException {
        // given
        ExternalTools noIp = tools(path(executable("empty", "true", "exit 0")), false, ROOT);
        ExternalTools brokenNetns = tools(path(executable("bin", "ip", "exit 1")), false, ROOT);

        // when / then
        assertThatThrownBy(noIp::requireTestHosts)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs `ip` on PATH (apt-get install -y iproute2)");
        assertThatThrownBy(brokenNetns::requireTestHosts)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("netns list` fails");
    }

    @Test
    void shouldAcceptTestHostsAndNamePortBlockingWhenOnlyNftIsMissing() throws IOException {
        // given root and an ip whose `netns list` works
        Path bin = executable("bin", "ip", "exit 0");
        ExternalTools tools = tools(path(bin), false, ROOT);

        // when / then
        assertThat(tools.requireTestHosts()).isEqualTo(bin.resolve("ip"));
        assertThatThrownBy(tools::requirePortBlocking)
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs `nft` on PATH");
    }

    @Test
    void shouldSkipTestHostsWhenNotOnLinux() {
        assertThatThrownBy(() -> new ExternalTools(Map.of(), () -> ROOT, "Mac OS X").requireTestHosts())
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("this is Mac OS X");
    }

    @Test
    void shouldPassOverAPythonThatCannotImportTheModulesAndTakeTheNextOnPath() throws IOException {
        // given a pyenv-like python3 first on PATH without the modules, and a system-like one after it with them
        Path pyenv = executable("pyenv", "python3", "exit 1");
        Path system = executable("system", "python3", "exit 0");
        ExternalTools tools = tools(path(pyenv, system), false, ROOT);

        // when
        Path python = tools.requirePythonModules("confluent_kafka.avro", "requests");

        // then
        assertThat(python).isEqualTo(system.resolve("python3"));
    }

    @Test
    void shouldSkipNamingThePackagesAndTheInterpretersTriedWhenNoPythonImportsTheModules() throws IOException {
        // given
        Path pyenv = executable("pyenv", "python3", "exit 1");
        ExternalTools lenient = tools(path(pyenv), false, ROOT);
        ExternalTools strict = tools(path(pyenv), true, ROOT);

        // when / then
        assertThatThrownBy(() -> lenient.requirePythonModules("confluent_kafka.avro", "avro", "requests"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs a `python3` on PATH that can import confluent_kafka.avro, avro, requests")
                .hasMessageContaining("apt-get install -y python3-confluent-kafka python3-avro python3-requests")
                .hasMessageContaining("tried [" + pyenv.resolve("python3") + "]");
        assertThatThrownBy(() -> strict.requirePythonModules("confluent_kafka.avro", "avro", "requests"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("needs a `python3` on PATH");
    }

    @Test
    void shouldSayNoPythonWasFoundWhenNoneIsOnPath() {
        assertThatThrownBy(() -> tools(dir.toString(), false, ROOT).requirePythonModules("avro"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("tried none (no python3 on PATH)");
    }

    private ExternalTools tools(String path, boolean strict, Optional<Integer> uid) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", path);
        if (strict) {
            env.put(ExternalTools.REQUIRE_ENV, "1");
        }
        return new ExternalTools(env, () -> uid, "Linux");
    }

    /** A directory {@code name} under the temp dir holding an executable shell script {@code tool}. */
    private Path executable(String name, String tool, String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name));
        Path script = bin.resolve(tool);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    private static String path(Path... dirs) {
        StringBuilder path = new StringBuilder();
        for (Path d : dirs) {
            path.append(path.length() == 0 ? "" : ":").append(d);
        }
        return path.toString();
    }
}
