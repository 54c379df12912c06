package io.hostwatch.detector.replay;

import io.hostwatch.detector.DetectorConfig;
import io.hostwatch.detector.DomainStatus;
import io.hostwatch.schema.HostState;
import io.hostwatch.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Replays recorded input through the detector's own processors: no consumer group, no writes, no effect on live
 * topics, no Kafka Streams. Records go in in broker-timestamp order (ties: heartbeats, then probe results, then ticks,
 * then partition and offset), which is the order a live task processes them in, so with the live config the
 * transitions equal what {@code hostwatch.host-state-history} recorded (see the README for the limits).
 */
public final class Replayer {
    private Replayer() {}

    /** Streams {@code records} (in window order) through the detector, telling {@code observer} what happens. */
    public static long replay(
            DetectorConfig config,
            Topics topics,
            Iterator<ConsumerRecord<byte[], byte[]>> records,
            ReplayObserver observer) {
        ReplayEngine engine = new ReplayEngine(config, topics, observer);
        while (records.hasNext()) {
            engine.process(records.next());
        }
        return engine.processed();
    }

    /** Every transition the detector publishes for {@code records}, in order. */
    public static List<HostState> replay(
            DetectorConfig config, Topics topics, Iterator<ConsumerRecord<byte[], byte[]>> records) {
        List<HostState> transitions = new ArrayList<>();
        replay(config, topics, records, new ReplayObserver() {
            @Override
            public void transition(HostState state, DomainStatus guard) {
                transitions.add(state);
            }
        });
        return transitions;
    }

    /** Every transition the detector publishes for the recorded window [from, to], read as it goes. */
    public static List<HostState> replayWindow(DetectorConfig config, Topics topics, Instant from, Instant to) {
        try (ReplayWindow window = ReplayWindow.open(config, topics, from, to)) {
            return replay(config, topics, window);
        }
    }

    /** The window's records, all in memory: for tests that replay the same input more than once. */
    public static List<ConsumerRecord<byte[], byte[]>> readWindow(
            DetectorConfig config, Topics topics, Instant from, Instant to) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (ReplayWindow window = ReplayWindow.open(config, topics, from, to)) {
            window.forEachRemaining(records::add);
        }
        return records;
    }
}
