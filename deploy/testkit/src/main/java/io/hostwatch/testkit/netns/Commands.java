package io.hostwatch.testkit.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short commands ({@code ip}, {@code nft}) to completion with a time bound. */
final class Commands {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Commands() {}

    static CommandResult run(List<String> command) {
        return run(command, null, DEFAULT_TIMEOUT);
    }

    /** @param stdin written to the command's standard input, may be null */
    static CommandResult run(List<String> command, String stdin, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the command may exit without reading its input; its exit code tells what happened
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeout);
            }
            return new CommandResult(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + command, e);
        }
    }

    /** Runs {@code command}; a non-zero exit is an exception carrying its stderr. */
    static CommandResult runOrThrow(List<String> command) {
        return runOrThrow(command, null);
    }

    static CommandResult runOrThrow(List<String> command, String stdin) {
        CommandResult result = run(command, stdin, DEFAULT_TIMEOUT);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + result.exitCode()
                    + ": " + result.stderr().trim());
        }
        return result;
    }

    /** True if {@code executable} runs: {@code executable args} exits 0. */
    static boolean works(List<String> command) {
        try {
            return run(command, null, Duration.ofSeconds(5)).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
