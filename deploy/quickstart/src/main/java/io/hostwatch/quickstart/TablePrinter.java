package io.hostwatch.quickstart;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Prints the host-state table whenever it changes, with the demo's narration in between. */
final class TablePrinter implements AutoCloseable {
    private final HostStateBoard board;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;
    private String lastTable = "";

    TablePrinter(HostStateBoard board, PrintStream out) {
        this.board = board;
        this.out = out;
        this.thread = new Thread(this::loop, "table-printer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void say(String line) {
        out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
    }

    private void loop() {
        while (running) {
            String table = StateTable.render(board.latestByHost());
            synchronized (this) {
                if (!table.equals(lastTable)) {
                    out.println();
                    out.print(table);
                    out.println();
                    lastTable = table;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
