package io.hostwatch.detector.replay;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.PingStatus;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.schema.StorageOutcome;
import io.hostwatch.schema.StorageStatus;
import io.hostwatch.schema.Tick;
import io.hostwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;

/**
 * A recorded window of a fleet, generated second by second as serialized records in window order (memory per host,
 * not per second): every host heartbeats once a second, every partition gets a tick every 500 ms, and a few kinds of
 * hosts go silent and are answered by two probers: dead ones that come back, partitioned ones, inconclusive ones, and
 * half of domain {@code az-0} at once (the mass-failure guard).
 */
final class SyntheticFleet implements Iterator<ConsumerRecord<byte[], byte[]>> {
    static final long T0 = 1_700_000_000_000L;

    private final Topics topics;
    private final int hosts;
    private final int partitions;
    private final int seconds;
    private final long timeoutMs;
    private final List<String> order;
    private final Map<TopicPartition, Long> offsets = new HashMap<>();
    private final long[] lastHeartbeat;
    private final long[] sequence;
    private final String[] names;
    private final byte[][] encoded;
    private final List<ConsumerRecord<byte[], byte[]>> bucket = new ArrayList<>();
    private int second;
    private int next;

    SyntheticFleet(Topics topics, int hosts, int seconds, long heartbeatTimeoutMs) {
        this.topics = topics;
        this.hosts = hosts;
        this.partitions = topics.layout().partitions();
        this.seconds = seconds;
        this.timeoutMs = heartbeatTimeoutMs;
        this.order = List.of(
                topics.heartbeats().name(),
                topics.probeResults().name(),
                topics.ticks().name());
        this.lastHeartbeat = new long[hosts];
        this.sequence = new long[hosts];
        this.names = new String[hosts];
        this.encoded = new byte[hosts][];
        for (int i = 0; i < hosts; i++) {
            names[i] = host(i);
        }
    }

    /** Records the window will hold: heartbeats dominate, about hosts x seconds. */
    static long approximateRecords(int hosts, int seconds, int partitions) {
        return (long) hosts * seconds + 2L * partitions * seconds;
    }

    static String host(int i) {
        return String.format("host-%06d", i);
    }

    @Override
    public boolean hasNext() {
        while (next >= bucket.size()) {
            if (second >= seconds) {
                return false;
            }
            fillSecond(second++);
        }
        return true;
    }

    @Override
    public ConsumerRecord<byte[], byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return bucket.get(next++);
    }

    private boolean silent(int i, int s) {
        int kind = i % 97;
        if (kind == 5) {
            return s >= seconds / 4 && s < seconds / 4 + 30;
        }
        if (kind == 11 || kind == 17) {
            return s >= seconds / 3;
        }
        return i % 10 == 0 && s >= seconds / 2;
    }

    private void fillSecond(int s) {
        bucket.clear();
        next = 0;
        long base = T0 + s * 1000L;
        for (int p = 0; p < partitions; p++) {
            for (long at : new long[] {base, base + 500}) {
                bucket.add(record(
                        topics.ticks().name(),
                        p,
                        at,
                        null,
                        topics.ticks()
                                .valueSerde()
                                .serializer()
                                .serialize(topics.ticks().name(), new Tick(p, "ticker", Instant.ofEpochMilli(at)))));
            }
        }
        for (int i = 0; i < hosts; i++) {
            long at = base + (i * 7L) % 1000;
            String host = host(i);
            if (!silent(i, s)) {
                sequence[i]++;
                Heartbeat hb = new Heartbeat(
                        host,
                        "agent-" + host,
                        sequence[i],
                        Instant.ofEpochMilli(at),
                        1000,
                        "10.0." + (i / 250) % 250 + "." + i % 250,
                        domain(i),
                        ServiceStatus.OK,
                        sequence[i],
                        true,
                        "synthetic",
                        // unauthenticated: the replay tests and benchmark run with heartbeat.authentication off
                        null,
                        null);
                bucket.add(record(
                        topics.heartbeats().name(),
                        partition(host),
                        at,
                        host,
                        topics.heartbeats()
                                .valueSerde()
                                .serializer()
                                .serialize(topics.heartbeats().name(), hb)));
                lastHeartbeat[i] = at;
            } else if (lastHeartbeat[i] > 0) {
                answer(i, host, base);
            }
        }
        bucket.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                .thenComparingInt(r -> order.indexOf(r.topic()))
                .thenComparingInt(ConsumerRecord::partition));
        List<ConsumerRecord<byte[], byte[]>> numbered = new ArrayList<>(bucket.size());
        for (ConsumerRecord<byte[], byte[]> r : bucket) {
            long offset = offsets.merge(new TopicPartition(r.topic(), r.partition()), 1L, Long::sum) - 1;
            numbered.add(new ConsumerRecord<>(
                    r.topic(),
                    r.partition(),
                    offset,
                    r.timestamp(),
                    TimestampType.CREATE_TIME,
                    r.serializedKeySize(),
                    r.serializedValueSize(),
                    r.key(),
                    r.value(),
                    new RecordHeaders(),
                    Optional.empty()));
        }
        bucket.clear();
        bucket.addAll(numbered);
    }

    /** Two probers answer the first probe of a silence 200 and 250 ms after it was requested. */
    private void answer(int i, String host, long base) {
        long requested = lastHeartbeat[i] + timeoutMs;
        for (int k = 0; k < 2; k++) {
            long at = requested + 200 + 50L * k;
            if (at < base || at >= base + 1000) {
                continue;
            }
            int kind = i % 97;
            PingStatus ping = kind == 11 ? PingStatus.OK : kind == 17 ? PingStatus.ERROR : PingStatus.FAILED;
            StorageStatus storage = kind == 11 || kind == 17 ? StorageStatus.FRESH : StorageStatus.STALE;
            ProbeResult result = new ProbeResult(
                    host + '/' + lastHeartbeat[i] + "/1",
                    host,
                    "prober-" + k,
                    new PingOutcome(ping, PingMethod.ICMP, ping == PingStatus.OK ? 250L : null, null),
                    new StorageOutcome(storage, 7L, false, null),
                    Instant.ofEpochMilli(at));
            bucket.add(record(
                    topics.probeResults().name(),
                    partition(host),
                    at,
                    host,
                    topics.probeResults()
                            .valueSerde()
                            .serializer()
                            .serialize(topics.probeResults().name(), result)));
        }
    }

    private String domain(int i) {
        return "az-" + i % 5;
    }

    private int partition(String host) {
        return Utils.toPositive(Utils.murmur2(host.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static ConsumerRecord<byte[], byte[]> record(
            String topic, int partition, long at, String key, byte[] value) {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(
                topic,
                partition,
                0L,
                at,
                TimestampType.CREATE_TIME,
                k == null ? -1 : k.length,
                value.length,
                k,
                value,
                new RecordHeaders(),
                Optional.empty());
    }
}
