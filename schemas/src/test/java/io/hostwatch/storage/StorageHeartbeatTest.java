package io.hostwatch.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StorageHeartbeatTest {
    private final StorageHeartbeat heartbeat = new StorageHeartbeat("compute-1", "a-9", 42, 1_700_000_000_000L, true);

    @Test
    void shouldRoundTrip() {
        assertThat(StorageHeartbeat.parse(heartbeat.toBytes())).isEqualTo(heartbeat);
    }

    @Test
    void shouldPlaceTheFileUnderTheHostwatchDirectory() {
        assertThat(StorageHeartbeat.file(Path.of("/mnt/nfs"), "compute-1"))
                .isEqualTo(Path.of("/mnt/nfs/hostwatch/compute-1.hb"));
    }

    @Test
    void shouldRejectATornFile() {
        byte[] bytes = heartbeat.toBytes();
        assertThatThrownBy(() -> StorageHeartbeat.parse(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(CorruptStorageHeartbeatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldRejectAFileWithAMissingField() {
        String text = new String(heartbeat.toBytes(), StandardCharsets.UTF_8).replace("storageSequence=42\n", "");
        assertThatThrownBy(() -> StorageHeartbeat.parse(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptStorageHeartbeatException.class)
                .hasMessageContaining("storageSequence");
    }

    @Test
    void shouldRejectGarbageNumbers() {
        String text = new String(heartbeat.toBytes(), StandardCharsets.UTF_8).replace("=42", "=4x2");
        assertThatThrownBy(() -> StorageHeartbeat.parse(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptStorageHeartbeatException.class);
    }
}
