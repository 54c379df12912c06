package io.hostwatch.agent.service;

import io.hostwatch.schema.ServiceStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code service.check=pidfile}: the service is OK while the process named by its pidfile is alive. Liveness is
 * read from {@code /proc/<pid>/stat} (works for other users' processes without root) so that a zombie, which
 * still has a pid but no longer runs, counts as DOWN.
 */
public final class PidfileServiceCheck implements ServiceCheck {
    private static final Path PROC = Path.of("/proc");

    private final Path pidfile;
    private final String commandLineMatch;

    /** @param commandLineMatch text the process's command line must contain; empty: any live process */
    public PidfileServiceCheck(Path pidfile, String commandLineMatch) {
        this.pidfile = pidfile;
        this.commandLineMatch = commandLineMatch;
    }

    @Override
    public Result check() {
        String content;
        try {
            content = Files.readString(pidfile, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return new Result(ServiceStatus.DOWN, "pidfile " + pidfile + " missing");
        } catch (IOException e) {
            return new Result(ServiceStatus.DEGRADED, "pidfile " + pidfile + " unreadable: " + e.getMessage());
        }
        long pid;
        try {
            pid = Long.parseLong(content);
        } catch (NumberFormatException e) {
            return new Result(ServiceStatus.DOWN, "pidfile " + pidfile + " holds no pid");
        }
        if (pid <= 0) {
            return new Result(ServiceStatus.DOWN, "pidfile " + pidfile + " holds no pid");
        }
        if (!alive(pid)) {
            return new Result(ServiceStatus.DOWN, "pid " + pid + " not running");
        }
        if (!commandLineMatch.isEmpty() && !commandLine(pid).contains(commandLineMatch)) {
            return new Result(
                    ServiceStatus.DOWN,
                    "pid " + pid + " is another process (command line lacks '" + commandLineMatch + "')");
        }
        return new Result(ServiceStatus.OK, "pid " + pid + " alive");
    }

    private static String commandLine(long pid) {
        try {
            return new String(
                            Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline")),
                            StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    static boolean alive(long pid) {
        Path stat = PROC.resolve(Long.toString(pid)).resolve("stat");
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            // "pid (comm) S ...": the state follows the last ')' because comm may contain spaces and parentheses.
            int close = line.lastIndexOf(')');
            char state = close > 0 && close + 2 < line.length() ? line.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "pidfile " + pidfile + (commandLineMatch.isEmpty() ? "" : " matching '" + commandLineMatch + "'");
    }
}
