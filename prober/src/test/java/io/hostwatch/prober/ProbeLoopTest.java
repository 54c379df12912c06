package io.hostwatch.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hostwatch.runtime.concurrent.DaemonThreadFactory;
import io.hostwatch.runtime.deadletter.DeadLetterRouter;
import io.hostwatch.schema.PingMethod;
import io.hostwatch.schema.PingOutcome;
import io.hostwatch.schema.ProbeRequest;
import io.hostwatch.schema.ProbeResult;
import io.hostwatch.serde.AvroSerde;
import io.hostwatch.serde.InMemorySchemaRegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's threading and at-least-once bookkeeping on Kafka's mock clients: a scripted pinger decides when each
 * probe completes and on which thread, the mock producer when and how each publish ends. The storage root is
 * absent, so the storage part is ERROR at once and the ping completes every probe.
 */
@Timeout(60)
class ProbeLoopTest {
    private static final String REQUESTS = "t.probe-requests";
    private static final TopicPartition P0 = new TopicPartition(REQUESTS, 0);
    private static final TopicPartition P1 = new TopicPartition(REQUESTS, 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private final PacedConsumer consumer = new PacedConsumer();
    private final GatedProducer producer = new GatedProducer();
    private final ScriptedPinger pinger = new ScriptedPinger();
    private final AvroSerde<ProbeRequest> requests =
            AvroSerde.of(ProbeRequest.class, new InMemorySchemaRegistryClient());
    private ScheduledExecutorService timer;
    private ExecutorService io;
    private ExecutorService publisher;
    private ProbeLoop loop;
    private Thread loopThread;

    @BeforeEach
    void setUp() {
        timer = Executors.newScheduledThreadPool(1);
        io = Executors.newFixedThreadPool(1);
        publisher = Executors.newSingleThreadExecutor(new DaemonThreadFactory("test-publish"));
        Path absent = root.resolve("not-mounted");
        SelfCheck selfCheck = new SelfCheck(
                "ref",
                () -> CompletableFuture.completedFuture(Outcomes.pingOk(PingMethod.TCP, 1L, null)),
                absent,
                io,
                timer,
                Duration.ofHours(1),
                Duration.ofSeconds(1));
        selfCheck.start();
        Prober prober = new Prober(
                "p-test",
                pinger,
                new StorageChecker(absent, io, timer, new StorageTiming(Duration.ofMillis(10), Duration.ofMillis(20))),
                selfCheck,
                timer,
                Duration.ofSeconds(30),
                Clock.systemUTC());
        loop = new ProbeLoop(
                consumer,
                producer,
                requests,
                AvroSerde.of(ProbeResult.class, new InMemorySchemaRegistryClient()),
                new DeadLetterRouter(producer, "t.dead-letters", "test"),
                prober,
                publisher,
                new ProberMetrics(),
                new ProbeLoop.Settings(
                        "p-test",
                        "g",
                        "all",
                        REQUESTS,
                        "t.probe-results",
                        ProberConfig.MAX_IN_FLIGHT_DEFAULT,
                        Duration.ZERO,
                        Duration.ofSeconds(5)),
                Clock.systemUTC());
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        loopThread = new Thread(loop, "test-loop");
        loopThread.start();
        await().atMost(WAIT).until(loop::ready);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        producer.open();
        pinger.answerAll();
        loop.stop();
        loopThread.join(WAIT.toMillis());
        publisher.shutdownNow();
        timer.shutdownNow();
        io.shutdownNow();
    }

    @Test
    void shouldPublishOnThePublisherWhenTheProbeCompletesOnAPingerThread() throws Exception {
        // given a producer whose send blocks (metadata unavailable, buffer full)
        producer.block();
        Call ping = probe(P0, 0, "h0");

        // when the pinger's (only) thread completes the probe
        CountDownLatch completed = new CountDownLatch(1);
        Thread selector = new Thread(
                () -> {
                    ping.answer();
                    completed.countDown();
                },
                "fake-selector");
        selector.start();

        // then it is free again at once, and the blocked send runs on the publisher
        assertThat(completed.await(5, TimeUnit.SECONDS))
                .as("pinger thread returned")
                .isTrue();
        await().atMost(WAIT).until(() -> !producer.sendThreads.isEmpty());
        assertThat(producer.sendThreads).allSatisfy(name -> assertThat(name).startsWith("test-publish"));

        // and once the broker acknowledges, the request is committed
        producer.open();
        awaitSends(1);
        producer.completeNext();
        awaitCommitted(P0, 1);
    }

    @Test
    void shouldRereadAPartitionWhenItsPublishFailedWhileAnotherPartitionWasRevoked() throws Exception {
        // given one request in flight on each partition, the first one's result sent
        Call first = probe(P0, 0, "h0");
        Call second = probe(P1, 0, "h1");
        first.answer();
        awaitSends(1);

        // when P1 is revoked, and while the loop waits for P1's request, P0's publish fails
        CountDownLatch rebalancing = new CountDownLatch(1);
        consumer.schedulePollTask(() -> {
            rebalancing.countDown();
            consumer.rebalance(List.of(P0));
        });
        assertThat(rebalancing.await(10, TimeUnit.SECONDS)).isTrue();
        producer.errorNext(new KafkaException("broker gone"));
        second.answer();
        awaitSends(2);
        producer.completeNext();
        awaitCommitted(P1, 1);

        // then P0 is read again from the failed request, which is answered and committed this time
        consumer.addRecord(record(P0, 0, "h0"));
        pinger.next().answer();
        awaitSends(3);
        producer.completeNext();
        awaitCommitted(P0, 1);
    }

    @Test
    void shouldKeepCountingProbesOfARewoundPartitionUntilTheyFinish() throws Exception {
        // given two requests in flight on P0
        Call failing = probe(P0, 0, "h0");
        Call slow = probe(P0, 1, "h1");
        await().atMost(WAIT).until(() -> loop.inFlight() == 2);

        // when the first result cannot be published, so P0 is rewound while the second probe still runs
        failing.answer();
        awaitSends(1);
        producer.errorNext(new KafkaException("broker gone"));

        // then the running probe still counts against probe.max.in.flight
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(consumer.position(P0)).isZero();
            assertThat(loop.inFlight()).isEqualTo(1);
        });

        // and stops counting once it finished
        slow.answer();
        awaitSends(2);
        producer.completeNext();
        await().atMost(WAIT).until(() -> loop.inFlight() == 0);
    }

    @Test
    void shouldPingAThousandRequestsAtOnceWhenTheyArriveTogether() {
        // when 1,000 requests arrive together on two partitions (a rack went silent)
        for (int i = 0; i < 1000; i++) {
            consumer.addRecord(record(i % 2 == 0 ? P0 : P1, i / 2, "h" + i));
        }

        // then every ping is under way before any is answered: no host waits for another host's ping
        await().atMost(WAIT).until(() -> pinger.all.size() == 1000);
        assertThat(loop.inFlight()).isEqualTo(1000);
        assertThat(consumer.paused()).isEmpty();

        // and once all are answered and acknowledged, both partitions are committed past their last request
        pinger.answerAll();
        awaitSends(1000);
        while (producer.completeNext()) {
            // acknowledge every result sent so far
        }
        awaitCommitted(P0, 500);
        awaitCommitted(P1, 500);
    }

    @Test
    void shouldPauseFetchingAtTheInFlightLimitAndResumeWhenHalfAreAnswered() {
        // given as many requests in flight as probe.max.in.flight allows
        int limit = ProberConfig.MAX_IN_FLIGHT_DEFAULT;
        for (int i = 0; i < limit; i++) {
            consumer.addRecord(record(P0, i, "h" + i));
        }
        await().atMost(WAIT).until(() -> pinger.all.size() == limit);
        await().atMost(WAIT).until(() -> consumer.paused().contains(P0));

        // when more arrive, they are not fetched while paused
        for (int i = limit; i < limit + 500; i++) {
            consumer.addRecord(record(P0, i, "h" + i));
        }
        int polls = consumer.polls.get();
        await().atMost(WAIT).until(() -> consumer.polls.get() >= polls + 3);
        assertThat(pinger.all).hasSize(limit);

        // then answering half of them (results acknowledged) resumes fetching, and the waiting requests are pinged
        pinger.all.subList(0, limit / 2).forEach(Call::answer);
        awaitSends(limit / 2);
        while (producer.completeNext()) {
            // acknowledge every result sent so far
        }
        await().atMost(WAIT).until(() -> pinger.all.size() == limit + 500);
        assertThat(consumer.paused()).isEmpty();
    }

    private Call probe(TopicPartition partition, long offset, String host) throws InterruptedException {
        consumer.addRecord(record(partition, offset, host));
        Call call = pinger.next();
        assertThat(call.address()).isEqualTo(address(host));
        return call;
    }

    private ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, String host) {
        ProbeRequest request = ProbeRequest.newBuilder()
                .setRequestId("r-" + host + "-" + offset)
                .setHost(host)
                .setAddress(address(host))
                .setAttempt(1)
                .setLastHeartbeatAt(Instant.EPOCH)
                .setLastStorageSequence(1)
                .setRequestedAt(Instant.EPOCH)
                .build();
        return new ConsumerRecord<>(
                partition.topic(),
                partition.partition(),
                offset,
                host.getBytes(),
                requests.serialize(partition.topic(), request));
    }

    private static String address(String host) {
        int n = Integer.parseInt(host.substring(1));
        return "127.0." + (n / 200) + "." + (10 + n % 200);
    }

    private void awaitSends(int count) {
        await().atMost(WAIT).until(() -> producer.history().size() >= count);
    }

    private void awaitCommitted(TopicPartition partition, long offset) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(consumer.commits).containsEntry(partition, offset));
    }

    /** A ping the test answers, from whichever thread it likes. */
    private record Call(String address, CompletableFuture<PingOutcome> result) {
        void answer() {
            result.complete(Outcomes.pingOk(PingMethod.TCP, 100L, null));
        }
    }

    private static final class ScriptedPinger implements Pinger {
        private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
        private final List<Call> all = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<PingOutcome> ping(String address, Deadline deadline) {
            Call call = new Call(address, new CompletableFuture<>());
            all.add(call);
            calls.add(call);
            return call.result();
        }

        Call next() throws InterruptedException {
            Call call = calls.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call).as("a ping was started").isNotNull();
            return call;
        }

        void answerAll() {
            all.forEach(Call::answer);
        }

        @Override
        public PingMethod method() {
            return PingMethod.TCP;
        }

        @Override
        public void close() {}
    }

    /** A mock producer whose send can be made to block, as KafkaProducer's does for up to max.block.ms. */
    private static final class GatedProducer extends MockProducer<byte[], byte[]> {
        final List<String> sendThreads = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        GatedProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        void block() {
            gate = new CountDownLatch(1);
        }

        void open() {
            gate.countDown();
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            sendThreads.add(Thread.currentThread().getName());
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.send(record, callback);
        }
    }

    /**
     * MockConsumer returns at once from an empty poll; pausing briefly keeps the loop from spinning a core. It also
     * reports offset 0 as committed for a partition no longer assigned, so commits are recorded here.
     */
    private static final class PacedConsumer extends MockConsumer<byte[], byte[]> {
        final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
        final AtomicInteger polls = new AtomicInteger();

        PacedConsumer() {
            super("earliest");
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
            super.commitSync(offsets, timeout);
        }

        @Override
        public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
            super.commitAsync(offsets, callback);
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            polls.incrementAndGet();
            if (records.isEmpty()) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            return records;
        }
    }
}
