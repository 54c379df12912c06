package io.hostwatch.agent.storage;

import io.hostwatch.auth.HostKey;
import io.hostwatch.storage.CorruptStorageHeartbeatException;
import io.hostwatch.storage.StorageHeartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's storage heartbeat (contract section 6): every tick hands one atomic rewrite of
 * {@code <root>/hostwatch/<host>.hb} to a shared executor and returns at once, so a hung NFS write can never delay
 * the network heartbeat. While a write is still running, no second one is started for the host; a write slower
 * than the timeout, or a failed one, is reported as not OK until a write succeeds in time again.
 */
public final class StorageHeartbeatWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StorageHeartbeatWriter.class);
    private static final int PREVIOUS_READ_ATTEMPTS = 3;
    private static final long PREVIOUS_READ_RETRY_MILLIS = 100;

    /** What the next network heartbeat reports about storage. */
    public record Snapshot(long storageSequence, boolean writeOk) {
        public static final Snapshot DISABLED = new Snapshot(-1, true);
    }

    /** Reads the previous file; a seam for tests, which cannot make a real read fail transiently. */
    interface FileReader {
        byte[] read(Path file) throws IOException;
    }

    /** Receives the outcome of every attempted write, for metrics. */
    public interface Listener {
        void written(long nanos, boolean inTime);

        void failed(String reason);

        void skippedWhileHung();
    }

    private final HostKey key;
    private final Path root;
    private final Path file;
    private final String host;
    private final String agentInstance;
    private final Executor executor;
    private final long timeoutNanos;
    private final boolean fsync;
    private final Listener listener;
    private final FileReader reader;

    // Written by the storage thread, read by the heartbeat thread.
    private volatile long lastWrittenSequence = -1;
    private volatile boolean lastWriteOk = true;
    private volatile boolean inFlight;
    private volatile long inFlightSinceNanos;
    // Only touched by the (single) write in flight for this host.
    private boolean resumed;
    private boolean failing;
    private volatile boolean hangReported;

    public StorageHeartbeatWriter(
            Path root,
            String host,
            String agentInstance,
            Executor executor,
            Duration timeout,
            boolean fsync,
            Listener listener) {
        this(root, host, agentInstance, executor, timeout, fsync, listener, Files::readAllBytes, null);
    }

    /** @param key authenticates every file written; null for none */
    public StorageHeartbeatWriter(
            Path root,
            String host,
            String agentInstance,
            Executor executor,
            Duration timeout,
            boolean fsync,
            Listener listener,
            HostKey key) {
        this(root, host, agentInstance, executor, timeout, fsync, listener, Files::readAllBytes, key);
    }

    StorageHeartbeatWriter(
            Path root,
            String host,
            String agentInstance,
            Executor executor,
            Duration timeout,
            boolean fsync,
            Listener listener,
            FileReader reader) {
        this(root, host, agentInstance, executor, timeout, fsync, listener, reader, null);
    }

    StorageHeartbeatWriter(
            Path root,
            String host,
            String agentInstance,
            Executor executor,
            Duration timeout,
            boolean fsync,
            Listener listener,
            FileReader reader,
            HostKey key) {
        this.key = key;
        this.root = root;
        this.file = StorageHeartbeat.file(root, host);
        this.host = host;
        this.agentInstance = agentInstance;
        this.executor = executor;
        this.timeoutNanos = timeout.toNanos();
        this.fsync = fsync;
        this.listener = listener;
        this.reader = reader;
    }

    public Path file() {
        return file;
    }

    /** Starts a write unless one is still running; never blocks. */
    public Snapshot tick(boolean isolated, long nowNanos) {
        if (inFlight) {
            if (nowNanos - inFlightSinceNanos > timeoutNanos && !hangReported) {
                hangReported = true;
                LOG.warn(
                        "event=storage.write_hung host={} file={} running_ms={} timeout_ms={}: reporting "
                                + "storageWriteOk=false; no new write starts until it returns",
                        host,
                        file,
                        (nowNanos - inFlightSinceNanos) / 1_000_000,
                        timeoutNanos / 1_000_000);
            }
            listener.skippedWhileHung();
            return snapshot(nowNanos);
        }
        inFlight = true;
        inFlightSinceNanos = nowNanos;
        try {
            executor.execute(() -> write(isolated));
        } catch (RejectedExecutionException e) {
            inFlight = false;
            lastWriteOk = false;
            listener.failed("rejected");
        }
        return snapshot(nowNanos);
    }

    /** The state as of {@code nowNanos}, counting a write still running past its timeout as a failure. */
    public Snapshot snapshot(long nowNanos) {
        boolean hung = inFlight && nowNanos - inFlightSinceNanos > timeoutNanos;
        return new Snapshot(lastWrittenSequence, lastWriteOk && !hung);
    }

    private void write(boolean isolated) {
        // Time spent queued behind other hosts' writes counts: what matters is how stale the file got.
        long started = inFlightSinceNanos;
        try {
            if (!resumed) {
                lastWrittenSequence = previousSequence();
            }
            long sequence = lastWrittenSequence + 1;
            StorageHeartbeat heartbeat =
                    new StorageHeartbeat(host, agentInstance, sequence, System.currentTimeMillis(), isolated);
            byte[] content = (key == null ? heartbeat : heartbeat.authenticated(key)).toBytes();
            writeCreatingDirectory(content);
            lastWrittenSequence = sequence;
            resumed = true;
            long took = System.nanoTime() - started;
            boolean inTime = took <= timeoutNanos;
            lastWriteOk = inTime;
            listener.written(took, inTime);
            if (failing && inTime) {
                failing = false;
                LOG.info("event=storage.write_ok host={} file={} storage_sequence={}", host, file, sequence);
            } else if (!inTime) {
                LOG.warn(
                        "event=storage.write_slow host={} file={} took_ms={} timeout_ms={}",
                        host,
                        file,
                        took / 1_000_000,
                        timeoutNanos / 1_000_000);
                failing = true;
            }
        } catch (IOException | RuntimeException e) {
            lastWriteOk = false;
            listener.failed(e.getClass().getSimpleName());
            if (!failing) {
                failing = true;
                LOG.warn(
                        "event=storage.write_failing host={} file={} reason=\"{}\": reporting storageWriteOk=false",
                        host,
                        file,
                        describe(e));
            }
        } finally {
            hangReported = false;
            inFlight = false;
        }
    }

    private void writeCreatingDirectory(byte[] content) throws IOException {
        try {
            AtomicFileWriter.write(file, content, fsync);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(root)) {
                throw new NoSuchFileException(root.toString(), null, "storage root does not exist (not mounted?)");
            }
            // The mount point exists; only our subdirectory is missing (first start, or someone removed it).
            Files.createDirectories(file.getParent());
            AtomicFileWriter.write(file, content, fsync);
        }
    }

    /**
     * Where the sequence continues: above what the file a previous instance left holds, so the sequence the prober
     * reads never goes backwards across an agent restart (whoever wrote the file: the prober compares this file's
     * sequences). A failed read is retried, as NFS errors are often transient (a stale handle after a server
     * failover).
     */
    private long previousSequence() {
        Exception failure = null;
        for (int attempt = 1; attempt <= PREVIOUS_READ_ATTEMPTS; attempt++) {
            try {
                long previous = StorageHeartbeat.parse(reader.read(file)).storageSequence();
                resumed = true;
                return Math.max(-1, previous);
            } catch (NoSuchFileException e) {
                // Not resumed yet: until a write succeeds (the storage may not be mounted yet at boot), a previous
                // file may still appear, and its sequence must be read before ours replaces it.
                return -1;
            } catch (IOException | CorruptStorageHeartbeatException e) {
                failure = e;
            }
            if (attempt < PREVIOUS_READ_ATTEMPTS && !pauseBeforeRetry()) {
                break;
            }
        }
        // The file is there but cannot be read: restarting at 0 could go backwards, and a prober that saw the old
        // sequence would call a live host's storage stale. Wall-clock millis are above any sequence the file can
        // hold: counting one per interval (>= 50 ms) from 0 never catches up with them, nor does an earlier seed
        // taken this way (it grew by one per interval since, the clock by the whole interval). Only a clock stepped
        // back by more than the time since that seed could defeat it; keeping on reading instead would stop the
        // storage heartbeat of a host that is alive, for as long as the file stays unreadable.
        long seed = System.currentTimeMillis();
        resumed = true;
        LOG.warn(
                "event=storage.previous_unreadable host={} file={} attempts={} reason=\"{}\": continuing from "
                        + "wall-clock millis {} so that the storage sequence cannot go backwards",
                host,
                file,
                PREVIOUS_READ_ATTEMPTS,
                describe(failure),
                seed);
        return seed;
    }

    /** @return false if interrupted (the agent is stopping) */
    private static boolean pauseBeforeRetry() {
        try {
            Thread.sleep(PREVIOUS_READ_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('"', '\''));
    }
}
