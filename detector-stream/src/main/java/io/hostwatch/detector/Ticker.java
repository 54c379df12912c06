package io.hostwatch.detector;

import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.hostwatch.schema.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Tick} to every partition of the ticks topic every interval, so that the broker's LogAppendTime
 * advances stream time on partitions whose hosts are all silent (contract section 4). Ticks carry no state: any
 * number of instances may tick, a lost or duplicated tick changes nothing.
 */
public final class Ticker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

    private final Producer<String, Tick> producer;
    private final String topic;
    private final int partitions;
    private final String emitter;
    private final ScheduledExecutorService executor;
    private final AtomicLong failures = new AtomicLong();

    private Ticker(Producer<String, Tick> producer, String topic, int partitions, String emitter) {
        this.producer = producer;
        this.topic = topic;
        this.partitions = partitions;
        this.emitter = emitter;
        this.executor = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("ticker"));
    }

    /** Starts ticking; the producer is closed with the ticker. */
    public static Ticker start(
            Producer<String, Tick> producer, String topic, int partitions, String emitter, Duration interval) {
        Ticker ticker = new Ticker(producer, topic, partitions, emitter);
        ticker.executor.scheduleAtFixedRate(ticker::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Ticking {} partitions of {} every {} ms as {}", partitions, topic, interval.toMillis(), emitter);
        return ticker;
    }

    private void tick() {
        Instant now = Instant.now();
        for (int partition = 0; partition < partitions; partition++) {
            producer.send(
                    new ProducerRecord<>(topic, partition, null, new Tick(partition, emitter, now)),
                    (metadata, error) -> {
                        if (error != null && failures.getAndIncrement() % 100 == 0) {
                            LOG.warn(
                                    "Tick to {} failed ({} failures so far): {}",
                                    topic,
                                    failures.get(),
                                    error.toString());
                        }
                    });
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
