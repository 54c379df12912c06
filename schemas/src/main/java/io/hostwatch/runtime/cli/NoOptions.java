package io.hostwatch.runtime.cli;

import picocli.CommandLine.Command;

/** The command-line options of an app that has none besides {@code --config}. */
@Command
public final class NoOptions {}
