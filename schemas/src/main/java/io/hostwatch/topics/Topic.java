package io.hostwatch.topics;

import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its keys and values: declared once in {@link Topics}, used everywhere. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
