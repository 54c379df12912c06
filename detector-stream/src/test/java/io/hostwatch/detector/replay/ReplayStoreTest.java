package io.hostwatch.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

class ReplayStoreTest {
    @Test
    void shouldHandOutCopiesWhenAValueIsRead() {
        // given: a mutable value type, as HostRecord is
        ReplayStore<List<String>> store = new ReplayStore<>("s", Serdes.ListSerde(ArrayList.class, Serdes.String()));
        store.put("h", new ArrayList<>(List.of("a")));

        // when: a caller changes what it read without putting it back
        store.get("h").add("b");

        // then: the store is unchanged, as a RocksDB store would be
        assertThat(store.get("h")).containsExactly("a");
    }

    @Test
    void shouldIterateInKeyOrderAndForgetDeletedKeysWhenScanned() {
        // given
        ReplayStore<String> store = new ReplayStore<>("s", Serdes.String());
        store.put("b", "2");
        store.put("a", "1");
        store.put("c", "3");

        // when
        assertThat(store.delete("c")).isEqualTo("3");
        store.put("b", null);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining((KeyValue<String, String> kv) -> keys.add(kv.key));
        }

        // then
        assertThat(keys).containsExactly("a");
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        assertThat(store.putIfAbsent("a", "x")).isEqualTo("1");
    }
}
