package io.hostwatch.prober;

import io.hostwatch.runtime.deadletter.DeadLetterRouter;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-probe-publish loop. One thread polls probe requests (raw bytes, so a bad record is dead-lettered
 * instead of killing the consumer), hands each to the {@link Prober} and goes on polling; results are published as
 * they complete, in any order, on the publisher executor: the threads that complete probes (the TCP selector, the
 * timer) are shared by every probe and must not wait for {@code producer.send} (metadata, a full buffer) or the
 * schema registry. Offsets are committed only up to the lowest request whose result (or dead letter) the broker has
 * not yet acknowledged: at least once, never lost. A result that cannot be published makes the loop re-read its
 * partition from that request on, after a short back-off.
 */
final class ProbeLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    /** What the loop needs to know besides its collaborators. */
    record Settings(
            String proberId,
            String groupId,
            String fanout,
            String requestTopic,
            String resultTopic,
            int maxInFlight,
            Duration requestMaxAge,
            Duration drainTimeout) {}

    private record Completion(
            TopicPartition partition,
            long offset,
            int generation,
            ProbeResult result,
            long startNanos,
            Exception error) {}

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Deserializer<ProbeRequest> requests;
    private final Serializer<ProbeResult> results;
    private final DeadLetterRouter deadLetters;
    private final Prober prober;
    private final Executor publisher;
    private final ProberMetrics metrics;
    private final Settings settings;
    private final Clock clock;
    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    // poll thread only:
    private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();
    private final Map<TopicPartition, Long> backedOffUntil = new HashMap<>();
    // partitions with a result that could not be published, also when seen while waiting in a rebalance
    private final Set<TopicPartition> toRewind = new HashSet<>();
    // probes started and not yet drained, whatever their partition or generation: what max.in.flight bounds
    private int unfinished;
    private boolean pausedForLoad;
    private long lastCommitNanos = System.nanoTime();

    private volatile boolean stopping;
    private volatile boolean ready;
    private volatile boolean running;
    private volatile int inFlight;

    ProbeLoop(
            Consumer<byte[], byte[]> consumer,
            Producer<byte[], byte[]> producer,
            Deserializer<ProbeRequest> requests,
            Serializer<ProbeResult> results,
            DeadLetterRouter deadLetters,
            Prober prober,
            Executor publisher,
            ProberMetrics metrics,
            Settings settings,
            Clock clock) {
        this.consumer = consumer;
        this.producer = producer;
        this.requests = requests;
        this.results = results;
        this.deadLetters = deadLetters;
        this.prober = prober;
        this.publisher = publisher;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    /** True once partitions were assigned for the first time. */
    boolean ready() {
        return ready;
    }

    boolean running() {
        return running;
    }

    int inFlight() {
        return inFlight;
    }

    /** Asks the loop to finish: it stops polling, waits for requests in flight, commits and closes the consumer. */
    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        running = true;
        try {
            consumer.subscribe(List.of(settings.requestTopic()), new Rebalance());
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    continue;
                }
                for (TopicPartition partition : records.partitions()) {
                    handle(partition, records.records(partition));
                }
                drainCompletions();
                rewindFailed();
                resumeBackedOff();
                controlFlow();
                if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
                    commit(partitions.keySet(), false);
                }
            }
            awaitInFlight(partitions.keySet(), settings.drainTimeout());
            commit(partitions.keySet(), true);
            // closing the consumer revokes the partitions: nothing left to wait for or commit there
            partitions.clear();
            LOG.info("Probe loop stopped; offsets committed");
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> batch) {
        PartitionOffsets offsets = partitions.get(partition);
        if (offsets == null || backedOffUntil.containsKey(partition)) {
            return; // revoked meanwhile, or about to be re-read from a sought offset
        }
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            Optional<ProbeRequest> request;
            try {
                request = deadLetters.decode(record, requests);
            } catch (KafkaException e) {
                // registry or dead-letter topic unavailable: the record may be fine, so read it again later
                LOG.warn(
                        "Cannot decode or dead-letter {}@{} now ({}); retrying in {} ms",
                        partition,
                        record.offset(),
                        e.getMessage(),
                        BACKOFF.toMillis());
                consumer.seek(partition, record.offset());
                backOff(partition);
                return;
            }
            if (request.isEmpty()) {
                if (record.value() != null) {
                    metrics.deadLettered();
                }
                offsets.skipped(record.offset());
                continue;
            }
            metrics.requestRead();
            offsets.started(record.offset());
            unfinished++;
            start(partition, record, request.get(), offsets.generation());
        }
        inFlight = unfinished;
    }

    private void start(
            TopicPartition partition, ConsumerRecord<byte[], byte[]> record, ProbeRequest request, int generation) {
        long startNanos = System.nanoTime();
        Duration age = Duration.between(Instant.ofEpochMilli(record.timestamp()), clock.instant());
        CompletableFuture<ProbeResult> result;
        if (!settings.requestMaxAge().isZero() && age.compareTo(settings.requestMaxAge()) > 0) {
            metrics.expired();
            result = CompletableFuture.completedFuture(prober.expired(request, age));
        } else {
            result = prober.probe(request);
        }
        long offset = record.offset();
        result.whenCompleteAsync(
                (answer, error) -> {
                    if (error != null) {
                        completions.add(new Completion(
                                partition,
                                offset,
                                generation,
                                null,
                                startNanos,
                                new IllegalStateException("probe failed", error)));
                        return;
                    }
                    publish(partition, offset, generation, answer, startNanos);
                },
                publisher);
    }

    private void publish(TopicPartition partition, long offset, int generation, ProbeResult answer, long startNanos) {
        try {
            byte[] value = results.serialize(settings.resultTopic(), answer);
            producer.send(
                    new ProducerRecord<>(
                            settings.resultTopic(), answer.getHost().getBytes(StandardCharsets.UTF_8), value),
                    (metadata, error) ->
                            completions.add(new Completion(partition, offset, generation, answer, startNanos, error)));
        } catch (RuntimeException e) {
            completions.add(new Completion(partition, offset, generation, answer, startNanos, e));
        }
    }

    private void drainCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            apply(completion);
        }
    }

    /** Seeks every partition with an unpublished result back to it; only from the loop, never inside a rebalance. */
    private void rewindFailed() {
        for (TopicPartition partition : toRewind) {
            PartitionOffsets offsets = partitions.get(partition);
            OptionalLong from = offsets.committable();
            // probes of the old generation still run: they stay counted in unfinished until they complete
            offsets.reset();
            if (from.isPresent()) {
                consumer.seek(partition, from.getAsLong());
            }
            metrics.rewound();
            backOff(partition);
        }
        toRewind.clear();
    }

    private void apply(Completion completion) {
        unfinished--;
        inFlight = unfinished;
        PartitionOffsets offsets = partitions.get(completion.partition());
        if (offsets == null || offsets.generation() != completion.generation()) {
            return; // the partition was revoked or re-read since this request was taken
        }
        if (completion.error() == null) {
            offsets.done(completion.offset());
            metrics.resultPublished(completion.result(), System.nanoTime() - completion.startNanos());
        } else {
            offsets.failed(completion.offset());
            toRewind.add(completion.partition());
            LOG.error(
                    "Could not publish the result for {}@{}: {}; the partition will be re-read from the last "
                            + "unanswered request",
                    completion.partition(),
                    completion.offset(),
                    Failures.describe(completion.error()));
        }
    }

    private void backOff(TopicPartition partition) {
        backedOffUntil.put(partition, System.nanoTime() + BACKOFF.toNanos());
        consumer.pause(List.of(partition));
    }

    private void resumeBackedOff() {
        long now = System.nanoTime();
        backedOffUntil.entrySet().removeIf(entry -> {
            if (now - entry.getValue() < 0) {
                return false;
            }
            if (!pausedForLoad && partitions.containsKey(entry.getKey())) {
                consumer.resume(List.of(entry.getKey()));
            }
            return true;
        });
    }

    /** Stop fetching while too many requests are in flight, so memory and result latency stay bounded. */
    private void controlFlow() {
        int current = unfinished;
        if (!pausedForLoad && current >= settings.maxInFlight()) {
            pausedForLoad = true;
            consumer.pause(partitions.keySet());
            LOG.debug("Paused fetching: {} requests in flight", current);
        } else if (pausedForLoad && current <= settings.maxInFlight() / 2) {
            pausedForLoad = false;
            List<TopicPartition> resumable = partitions.keySet().stream()
                    .filter(partition -> !backedOffUntil.containsKey(partition))
                    .toList();
            consumer.resume(resumable);
            LOG.debug("Resumed fetching: {} requests in flight", current);
        }
    }

    /** Requests of {@code which} still being probed or published. */
    private int inFlight(Collection<TopicPartition> which) {
        int total = 0;
        for (TopicPartition partition : which) {
            PartitionOffsets offsets = partitions.get(partition);
            total += offsets == null ? 0 : offsets.inFlight();
        }
        return total;
    }

    /** Failed publishes seen meanwhile go to {@link #toRewind}, also those of partitions not in {@code which}. */
    private void awaitInFlight(Collection<TopicPartition> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight(which) > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn(
                        "{} requests still unanswered after {} ms; their offsets stay uncommitted",
                        inFlight(which),
                        timeout.toMillis());
                return;
            }
            try {
                Completion completion = completions.poll(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS);
                if (completion != null) {
                    apply(completion);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void commit(Collection<TopicPartition> which, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            PartitionOffsets tracked = partitions.get(partition);
            if (tracked == null) {
                continue;
            }
            OptionalLong offset = sync ? tracked.committable() : tracked.toCommit();
            if (offset.isPresent()) {
                offsets.put(partition, new OffsetAndMetadata(offset.getAsLong()));
                tracked.committed(offset.getAsLong());
            }
        }
        lastCommitNanos = System.nanoTime();
        if (offsets.isEmpty()) {
            return;
        }
        try {
            if (sync) {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            } else {
                consumer.commitAsync(offsets, (committed, error) -> {
                    if (error != null) {
                        LOG.warn("Offset commit failed (retried with the next one): {}", error.getMessage());
                    }
                });
            }
        } catch (KafkaException e) {
            LOG.warn("Offset commit failed: {}; those requests will be answered again after a restart", e.getMessage());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            for (TopicPartition partition : assigned) {
                partitions.putIfAbsent(partition, new PartitionOffsets());
            }
            if (pausedForLoad) {
                consumer.pause(assigned);
            }
            // resolve the start offsets now (auto.offset.reset=latest is otherwise looked up lazily), so that
            // "ready" means every request produced from now on will be answered
            for (TopicPartition partition : assigned) {
                try {
                    consumer.position(partition, Duration.ofSeconds(10));
                } catch (KafkaException e) {
                    LOG.warn("Could not resolve the start offset of {}: {}", partition, e.getMessage());
                }
            }
            LOG.info(
                    "Assigned {} partition(s) of {}: now {}",
                    assigned.size(),
                    settings.requestTopic(),
                    partitions.size());
            if (!ready) {
                ready = true;
                LOG.info(
                        "Prober {} ready: answering {} on {} (group {}, fanout {}, {} partition(s))",
                        settings.proberId(),
                        settings.requestTopic(),
                        settings.resultTopic(),
                        settings.groupId(),
                        settings.fanout(),
                        partitions.size());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            awaitInFlight(revoked, settings.drainTimeout());
            commit(revoked, true);
            // a revoked partition needs no rewind: its commit stops at a failed request, the new owner reads it again
            forget(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
        }

        private void forget(Collection<TopicPartition> gone) {
            gone.forEach(partition -> {
                partitions.remove(partition);
                backedOffUntil.remove(partition);
                toRewind.remove(partition);
            });
        }
    }
}
