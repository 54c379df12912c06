package io.hostwatch.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.runtime.config.RenamedKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class HostwatchCliTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<Runnable> stop = new AtomicReference<>();
    private final FakeApp app = new FakeApp();

    @TempDir
    Path dir;

    @Test
    void shouldRunUntilAskedToStopWhenNoSubcommandIsGiven() throws Exception {
        // given
        Path file = config("target.name=alpha\n");

        // when
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> cli(Map.of()).execute("--config", file.toString()));
        await().atMost(BOUND).until(() -> stop.get() != null);
        stop.get().run();

        // then
        assertThat(exit).succeedsWithin(BOUND).isEqualTo(ExitCode.OK);
        assertThat(app.started.get()).isEqualTo("alpha");
        assertThat(app.closed).isTrue();
    }

    @Test
    void shouldExitWithTheServicesCodeWhenItStopsByItself() throws Exception {
        // given
        Path file = config("target.name=alpha\n");

        // when
        CompletableFuture<Integer> exit =
                CompletableFuture.supplyAsync(() -> cli(Map.of()).execute("run", "-c", file.toString()));
        await().atMost(BOUND).until(() -> stop.get() != null);
        app.ended.complete(Stopped.failed("stream died"));

        // then
        assertThat(exit).succeedsWithin(BOUND).isEqualTo(ExitCode.FAILED);
        assertThat(app.closed).isTrue();
        assertThat(err()).contains("fake-app: stream died");
    }

    @Test
    void shouldExitOneWhenTheServiceCannotStart() throws Exception {
        // given
        Path file = config("target.name=alpha\n");

        // when
        int exit = cli(Map.of()).execute("--config", file.toString(), "--fail-start");

        // then
        assertThat(exit).isEqualTo(ExitCode.FAILED);
        assertThat(err()).contains("could not start: broker unreachable");
        assertThat(stop.get()).isNull();
    }

    @Test
    void shouldExitTwoNamingTheKeyWhenAValueIsInvalid() throws Exception {
        // given
        Path file = config("target.name=alpha\nwait.ms=soon\n");

        // when
        int checked = cli(Map.of()).execute("check-config", "--config", file.toString());
        int ran = cli(Map.of()).execute("--config", file.toString());

        // then
        assertThat(checked).isEqualTo(ExitCode.USAGE);
        assertThat(ran).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("invalid configuration").contains("wait.ms");
        assertThat(app.started.get()).isNull();
    }

    @Test
    void shouldExitTwoNamingTheKeyWhenARequiredKeyIsMissing() {
        // when
        int exit = cli(Map.of()).execute("check-config");

        // then
        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("target.name");
    }

    @Test
    void shouldPrintOneLineWhenTheConfigIsValidWithEnvironmentOverrides() throws Exception {
        // given
        Path file = config("target.name=alpha\nwait.ms=5\n");

        // when
        int exit = cli(Map.of("HOSTWATCH_WAIT_MS", "7", "PATH", "/bin"))
                .execute("check-config", "--config", file.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out()).isEqualTo("fake-app: configuration OK: target=alpha wait=7\n");
    }

    @Test
    void shouldExitTwoOnAnUnknownOptionOrSubcommand() {
        assertThat(cli(Map.of()).execute("--bogus")).isEqualTo(ExitCode.USAGE);
        assertThat(cli(Map.of()).execute("chek-config")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void shouldWarnOnceAndCheckWhenTheOldFlagIsUsed() throws Exception {
        // given
        Path file = config("target.name=alpha\n");

        // when
        int exit = cli(Map.of()).execute("--config", file.toString(), "--check-config");

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("configuration OK");
        assertThat(err().lines().filter(line -> line.contains("deprecated")))
                .singleElement()
                .asString()
                .contains("--check-config")
                .contains("fake-app check-config");
    }

    @Test
    void shouldAnswerTheOldDocsAndTemplateFlagsWithAWarning() {
        assertThat(cli(Map.of()).execute("--describe-config")).isZero();
        assertThat(cli(Map.of()).execute("--config-docs")).isZero();
        assertThat(cli(Map.of()).execute("--config-template")).isZero();

        assertThat(err().lines().filter(line -> line.contains("deprecated"))).hasSize(3);
        assertThat(out()).contains("wait.ms").contains("#wait.ms=100");
    }

    @Test
    void shouldAcceptARenamedKeyWithAWarning() throws Exception {
        // given
        Path file = config("target.name=alpha\nold.wait.ms=9\n");

        // when
        int exit = cli(Map.of()).execute("check-config", "--config", file.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("wait=9");
        assertThat(err()).contains("old.wait.ms is deprecated").contains("use wait.ms");
    }

    @Test
    void shouldExitTwoNamingBothKeysWhenOldAndNewNamesDisagree() throws Exception {
        // given
        Path file = config("target.name=alpha\nold.wait.ms=9\nwait.ms=10\n");

        // when
        int exit = cli(Map.of()).execute("check-config", "--config", file.toString());

        // then
        assertThat(exit).isEqualTo(ExitCode.USAGE);
        assertThat(err()).contains("wait.ms").contains("old.wait.ms");
    }

    @Test
    void shouldLetTheEnvironmentWinOverAnOldKeyInTheFile() throws Exception {
        // given
        Path file = config("target.name=alpha\nold.wait.ms=9\n");

        // when
        int exit = cli(Map.of("HOSTWATCH_WAIT_MS", "11")).execute("check-config", "--config", file.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out()).contains("wait=11");
    }

    @Test
    void shouldWarnAboutUnknownKeysInTheFile() throws Exception {
        // given
        Path file = config("target.name=alpha\nwiat.ms=9\nkafka.linger.ms=5\n");

        // when
        int exit = cli(Map.of()).execute("check-config", "--config", file.toString());

        // then
        assertThat(exit).isZero();
        assertThat(err()).contains("wiat.ms").doesNotContain("kafka.linger.ms");
    }

    @Test
    void shouldDocumentEveryKeyWithTypeDefaultAndValidValues() {
        // when
        int exit = cli(Map.of()).execute("config-docs");

        // then
        assertThat(exit).isZero();
        assertThat(out())
                .contains("target.name")
                .contains("wait.ms")
                .contains("Type: long")
                .contains("Default: 100")
                .contains("Valid Values: [0,...]")
                .contains("``old.wait.ms``: use ``wait.ms``");
    }

    @Test
    void shouldPrintATemplateThatPassesCheckConfigOnceTheRequiredKeysAreSet() throws Exception {
        // given
        cli(Map.of()).execute("config-template");
        String template = out();
        out.reset();
        Path file = config(template);

        // when: the template as printed, required keys from the environment
        int exit = cli(Map.of("HOSTWATCH_TARGET_NAME", "beta")).execute("check-config", "--config", file.toString());

        // then
        assertThat(template).startsWith("# fake-app configuration (generated by: fake-app config-template)");
        assertThat(template)
                .contains("# Fake header.\n")
                .contains("target.name=\n")
                .contains("#wait.ms=100\n");
        assertThat(exit).isZero();
        assertThat(out()).contains("target=beta wait=100");
    }

    @Test
    void shouldPrintTheVersionAsSubcommandAndOption() {
        assertThat(cli(Map.of()).execute("version")).isZero();
        assertThat(cli(Map.of()).execute("--version")).isZero();
        assertThat(cli(Map.of()).execute("run", "--version")).isZero();

        assertThat(out()).isEqualTo("fake-app (development build)\n".repeat(3));
    }

    @Test
    void shouldListTheSubcommandsInTheHelp() {
        assertThat(cli(Map.of()).execute("--help")).isZero();

        assertThat(out())
                .contains("run")
                .contains("check-config")
                .contains("config-docs")
                .contains("config-template")
                .contains("version")
                .contains("'fake-app --config FILE' = 'fake-app run")
                .contains("Exit codes");
    }

    private HostwatchCli<FakeOptions, FakeConfig> cli(Map<String, String> env) {
        return new HostwatchCli<>(
                app,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env,
                stopRequest -> {
                    stop.set(stopRequest);
                    return () -> {};
                });
    }

    private Path config(String text) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "app", ".properties"), text);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Command
    static final class FakeOptions {
        @Option(names = "--fail-start")
        boolean failStart;
    }

    record FakeConfig(String target, long waitMs, boolean failStart) {}

    static final class FakeApp implements CliApp<FakeOptions, FakeConfig> {
        private static final ConfigDef DEF = new ConfigDef()
                .define("target.name", Type.STRING, Importance.HIGH, "What to watch.")
                .define("wait.ms", Type.LONG, 100L, Range.atLeast(0), Importance.LOW, "How long to wait.");

        final AtomicReference<String> started = new AtomicReference<>();
        final CompletableFuture<Stopped> ended = new CompletableFuture<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public String name() {
            return "fake-app";
        }

        @Override
        public String description() {
            return "A fake app.";
        }

        @Override
        public ConfigDef configDef() {
            return DEF;
        }

        @Override
        public String templateHeader() {
            return "# Fake header.\n";
        }

        @Override
        public RenamedKeys renamedKeys() {
            return new RenamedKeys(Map.of("old.wait.ms", "wait.ms"));
        }

        @Override
        public FakeOptions newOptions() {
            return new FakeOptions();
        }

        @Override
        public FakeConfig configure(Map<String, String> values, FakeOptions options) {
            AbstractConfig config = new AbstractConfig(DEF, values, false);
            return new FakeConfig(config.getString("target.name"), config.getLong("wait.ms"), options.failStart);
        }

        @Override
        public String summary(FakeConfig config) {
            return "target=" + config.target() + " wait=" + config.waitMs();
        }

        @Override
        public Running start(FakeConfig config) {
            if (config.failStart()) {
                throw new IllegalStateException("broker unreachable");
            }
            started.set(config.target());
            return new Running() {
                @Override
                public CompletionStage<Stopped> stoppedByItself() {
                    return ended;
                }

                @Override
                public void close() {
                    closed.set(true);
                }
            };
        }
    }
}
