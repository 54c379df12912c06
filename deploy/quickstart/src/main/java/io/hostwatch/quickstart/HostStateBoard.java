package io.hostwatch.quickstart;

import io.hostwatch.schema.HostState;
import io.hostwatch.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Nova would see: a consumer of {@code hostwatch.host-states} keeping the latest state per host and every
 * event in arrival order (with the local time it arrived, for latency figures).
 */
final class HostStateBoard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostStateBoard.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    /** One event as it arrived. */
    record Arrival(long arrivedAtNanos, HostState state) {}

    private final KafkaConsumer<String, HostState> consumer;
    private final Thread poller;
    private final Map<String, HostState> latest = new TreeMap<>();
    private final List<Arrival> arrivals = new ArrayList<>();
    /**
     * Per partition, the next offset not yet seen. The board commits no offsets; if the consumer ever resets
     * (e.g. after a broker crash) and reads a partition again, records already seen are not new arrivals.
     */
    private final Map<Integer, Long> nextOffsets = new HashMap<>();

    private volatile boolean running = true;
    private volatile RuntimeException failure;

    HostStateBoard(String bootstrapServers, Topic<String, HostState> topic) {
        this(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                "hostwatch-board-" + UUID.randomUUID(),
                topic);
    }

    /** @param client bootstrap servers and security settings, e.g. those of the Nova consumer's principal */
    HostStateBoard(Map<String, String> client, String groupId, Topic<String, HostState> topic) {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(
                props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        this.poller = new Thread(this::poll, "host-state-board");
        poller.setDaemon(true);
        poller.start();
    }

    /** The last error the board met while reading, if any (it retries). */
    Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    synchronized Optional<HostState> latest(String host) {
        return Optional.ofNullable(latest.get(host));
    }

    synchronized Map<String, HostState> latestByHost() {
        return new TreeMap<>(latest);
    }

    synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Events of {@code host} that arrived after {@code sinceNanos} (a {@link System#nanoTime()} value). */
    synchronized List<Arrival> arrivalsOf(String host, long sinceNanos) {
        return arrivals.stream()
                .filter(a -> a.state().getHost().equals(host) && a.arrivedAtNanos() >= sinceNanos)
                .toList();
    }

    private void poll() {
        try {
            while (running) {
                try {
                    record(consumer.poll(Duration.ofMillis(100)));
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // e.g. the registry briefly unreachable while decoding: the position did not move, so retry
                    failure = e;
                    LOG.warn("Host-state consumer failed, retrying in {}: {}", RETRY_PAUSE, e.toString());
                    Thread.sleep(RETRY_PAUSE.toMillis());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void record(ConsumerRecords<String, HostState> records) {
        long now = System.nanoTime();
        records.forEach(record -> {
            if (record.offset() < nextOffsets.getOrDefault(record.partition(), 0L)) {
                return;
            }
            nextOffsets.put(record.partition(), record.offset() + 1);
            if (record.value() != null) {
                latest.put(record.key(), record.value());
                arrivals.add(new Arrival(now, record.value()));
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(10_000);
    }
}
