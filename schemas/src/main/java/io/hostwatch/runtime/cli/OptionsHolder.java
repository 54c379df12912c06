package io.hostwatch.runtime.cli;

/** A subcommand that takes the app's own options (a picocli mixin the scaffold adds at run time). */
interface OptionsHolder {
    void options(Object options);
}
