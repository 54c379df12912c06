package io.hostwatch.detector.replay;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store for replay: a hash map of serialized values. Values go through the store's serde on every put and
 * get, as with the live RocksDB store, so a processor that changes an object it read and does not put it back changes
 * nothing, exactly as live. Memory is one entry per key (per host, per domain), whatever the window length.
 */
final class ReplayStore<V> implements KeyValueStore<String, V> {
    private final String name;
    private final Serde<V> serde;
    private final Map<String, byte[]> entries = new HashMap<>();

    ReplayStore(String name, Serde<V> serde) {
        this.name = name;
        this.serde = serde;
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, serde.serializer().serialize(name, value));
        }
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> list) {
        list.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(String key) {
        V old = get(key);
        entries.remove(key);
        return old;
    }

    @Override
    public V get(String key) {
        byte[] bytes = entries.get(key);
        return bytes == null ? null : serde.deserializer().deserialize(name, bytes);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        TreeMap<String, byte[]> sorted = new TreeMap<>(entries);
        return iterator(sorted.subMap(from, true, to, true).entrySet().iterator());
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(new TreeMap<>(entries).entrySet().iterator());
    }

    private KeyValueIterator<String, V> iterator(Iterator<Map.Entry<String, byte[]>> it) {
        return new KeyValueIterator<>() {
            private Map.Entry<String, byte[]> next;

            @Override
            public boolean hasNext() {
                return next != null || it.hasNext();
            }

            @Override
            public KeyValue<String, V> next() {
                Map.Entry<String, byte[]> e = next != null ? next : it.next();
                next = null;
                return KeyValue.pair(e.getKey(), serde.deserializer().deserialize(name, e.getValue()));
            }

            @Override
            public String peekNextKey() {
                if (next == null) {
                    next = it.next();
                }
                return next.getKey();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public long approximateNumEntries() {
        return entries.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {}

    @Override
    public void close() {}

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
