package io.hostwatch.local;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point for child processes: runs the real main class given as the first argument and exits when the
 * parent's end of stdin closes. A parent killed with SIGKILL (a test JVM timed out by failsafe, a Ctrl-C'd
 * Maven) therefore never leaves a broker or registry running behind it.
 */
public final class OrphanGuard {
    private OrphanGuard() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: OrphanGuard <main class> [args...]");
        }
        Thread watcher = new Thread(OrphanGuard::exitWhenStdinCloses, "orphan-guard");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void exitWhenStdinCloses() {
        InputStream in = System.in;
        byte[] buffer = new byte[64];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; reading just waits for end of stream
            }
        } catch (IOException ignored) {
            // a broken pipe means the same as end of stream
        }
        System.exit(0);
    }
}
