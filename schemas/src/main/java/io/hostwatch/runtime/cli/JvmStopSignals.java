package io.hostwatch.runtime.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles SIGTERM and SIGINT itself instead of letting them start the JVM's shutdown: the service is closed in order
 * and {@code main} returns normally, so a requested stop exits 0 (what systemd and Kubernetes expect), not 143. The
 * shutdown hook covers every other way the JVM is asked to exit. Previous handlers are restored on close, so a test
 * JVM that runs an app in-process keeps its own.
 */
final class JvmStopSignals implements StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(JvmStopSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    @Override
    @SuppressWarnings("restriction")
    public Registration onStop(Runnable stop) {
        List<Runnable> undo = new ArrayList<>();
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, received -> {
                    LOG.info("Received SIG{}: shutting down", name);
                    // not on the signal dispatcher thread: a second signal must still be delivered
                    new Thread(stop, "stop-on-sig" + name.toLowerCase(Locale.ROOT)).start();
                });
                undo.add(() -> sun.misc.Signal.handle(signal, previous));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("Cannot handle SIG{}: {}; relying on the shutdown hook", name, e.getMessage());
            }
        }
        Thread hook = new Thread(stop, "shutdown-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        undo.add(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to undo
            }
        });
        return () -> undo.forEach(Runnable::run);
    }
}
