package io.hostwatch.agent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file's content so that readers see the old or the new content, never a torn mix: write a temp file
 * in the same directory, fsync it, rename it over the target. Works on NFS and CephFS, which guarantee atomic
 * rename within a directory; no locks and no mmap, which those file systems handle badly.
 */
public final class AtomicFileWriter {
    private AtomicFileWriter() {}

    /**
     * The temp file of {@code target}. A fixed name (not a random one) so that a write interrupted by a crash
     * leaves at most one stray file per host, truncated and reused by the next write.
     */
    public static Path tempFileOf(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    public static void write(Path target, byte[] content, boolean fsync) throws IOException {
        Path temp = tempFileOf(target);
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(true);
            }
        }
        // No directory fsync: on NFS the rename is synchronous on the server, and a local file system losing
        // the rename on a crash only costs one stale heartbeat of a host that just crashed anyway.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
