"""The Kafka side: reads hostwatch.host-states from the beginning on every assignment (start-up
reconciliation, whatever the group's offsets), acts only once caught up to the end offsets seen at assignment
(so superseded history is never acted on), and commits only offsets whose events Nova reflects."""
import json
import logging
import sys
import threading
import time

from .evacuation import Throttle
from .events import Skip, from_record
from .fencing import Fencer
from .reconciler import Reconciler

LOG = logging.getLogger("hostwatch_nova")


class Emitter:
    """One JSON object per line on stdout: what the service saw and did (the dry run's output)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.lock = threading.Lock()

    def __call__(self, kind, **fields):
        fields["type"] = kind
        fields["at"] = round(time.time(), 3)
        line = json.dumps(fields, sort_keys=True, default=str)
        with self.lock:
            self.stream.write(line + "\n")
            self.stream.flush()


class Service:
    def __init__(self, config, consumer, decode, nova, metrics, emit, clock=time.time, replay=False):
        self.config = config
        self.consumer = consumer
        self.decode = decode
        self.metrics = metrics
        self.emit = emit
        self.reconciler = Reconciler(config, nova, Fencer(config.fence_command, config.fence_timeout_s,
                                                          config.dry_run), metrics, emit,
                                     Throttle(config.evacuation.max_hosts_per_domain_per_hour,
                                              config.evacuation.max_evacuations_per_minute), clock=clock)
        self.clock = clock
        # replay: every event in order against the simulated Nova (what would have happened), no collapsing
        self.replay = replay
        self.assigned = []
        self.need_watermarks = []
        self.catching_up = {}  # partition -> end offset at assignment still to reach
        self.at_end = {}  # partition -> end offset the consumer last reported reaching (partition EOF)
        self.records = 0
        self.committed = {}

    # rebalance callbacks run inside poll(): keep them to bookkeeping
    def _on_assign(self, consumer, partitions):
        from confluent_kafka import OFFSET_BEGINNING
        for tp in partitions:
            tp.offset = OFFSET_BEGINNING
        consumer.assign(partitions)
        self.assigned = list(partitions)
        self.need_watermarks = list(partitions)
        self.metrics.ready = False
        self.emit("assigned", partitions=[tp.partition for tp in partitions])

    def _on_revoke(self, consumer, partitions):
        self._commit(force=True)
        self.reconciler.drop_partitions({tp.partition for tp in partitions})
        for tp in partitions:
            self.catching_up.pop(tp.partition, None)
            self.at_end.pop(tp.partition, None)
            self.committed.pop(tp.partition, None)

    def _fetch_watermarks(self):
        for tp in list(self.need_watermarks):
            low, high = self.consumer.get_watermark_offsets(tp, timeout=10, cached=False)
            # records read (or the end reached) before this fetch count: the partition may already be caught up
            reached = max(self.reconciler.high.get(tp.partition, 0), self.at_end.get(tp.partition, 0))
            if high > low and reached < high:
                self.catching_up[tp.partition] = high
            self.need_watermarks.remove(tp)
        if not self.catching_up:
            self._caught_up()

    def _reached_end(self, partition, offset):
        """The consumer reached the partition's end (offset = end offset then). The detector writes with
        transactions, so a partition ends with a commit marker, an offset no message carries: only this tells
        that a partition whose last record is a marker is caught up."""
        self.at_end[partition] = max(offset, self.at_end.get(partition, 0))
        end = self.catching_up.get(partition)
        if end is not None and offset >= end:
            del self.catching_up[partition]
            if not self.catching_up and not self.need_watermarks:
                self._caught_up()

    def _caught_up(self):
        if not self.metrics.ready:
            self.metrics.ready = True
            self.emit("caught-up", hosts=len(self.reconciler.work))

    def _handle(self, msg):
        partition, offset = msg.partition(), msg.offset()
        self.records += 1
        try:
            event = from_record(msg.key(), msg.value(), self.decode, partition, offset)
        except Skip as skip:
            self.reconciler.seen(partition, offset)
            self.metrics.events.labels(skip.why).inc()
            self.emit("skip", why=skip.why, detail=str(skip), partition=partition, offset=offset)
            return
        if event is None:
            self.reconciler.seen(partition, offset)
            self.metrics.events.labels("tombstone").inc()
            self.emit("skip", why="tombstone", host=msg.key().decode("utf-8", "replace"), partition=partition,
                      offset=offset)
            return
        self.metrics.events.labels("converge").inc()
        self.metrics.last_event_age.set(max(0.0, self.clock() - event.observed_at_ms / 1000))
        self.emit("event", host=event.host, state=event.state, reason=event.reason,
                  conditions=list(event.conditions), previous=event.previous, since=event.since_ms,
                  observed_at=event.observed_at_ms, partition=partition, offset=offset)
        if self.replay:
            self.reconciler.seen(partition, offset)
            self.reconciler._converge(event)
        else:
            self.reconciler.offer(event)

    def _commit(self, force=False):
        from confluent_kafka import TopicPartition, KafkaException
        changed = {p: o for p, o in self.reconciler.positions().items() if self.committed.get(p) != o}
        if not changed:
            return
        try:
            self.consumer.commit(offsets=[TopicPartition(self.config.topic, p, o) for p, o in changed.items()],
                                 asynchronous=False)
            self.committed.update(changed)
        except KafkaException as error:  # e.g. during a rebalance: the next commit catches up
            LOG.warning("commit failed: %s", error)

    def run(self, stop, max_records=0, timeout_s=0):
        """Until stop is set (or, for tests, max_records read and all converged, or timeout_s passed)."""
        from confluent_kafka import KafkaError
        self.consumer.subscribe([self.config.topic], on_assign=self._on_assign, on_revoke=self._on_revoke)
        deadline = time.monotonic() + timeout_s if timeout_s else None
        last_commit = 0.0
        try:
            while not stop.is_set():
                self.metrics.alive_at = time.monotonic()
                for msg in self.consumer.consume(num_messages=500, timeout=0.2):
                    if msg.error():
                        if msg.error().code() == KafkaError._PARTITION_EOF:
                            self._reached_end(msg.partition(), msg.offset())
                        else:
                            LOG.warning("kafka: %s", msg.error())
                        continue
                    self._handle(msg)
                    end = self.catching_up.get(msg.partition())
                    if end is not None and msg.offset() >= end - 1:
                        del self.catching_up[msg.partition()]
                        if not self.catching_up and not self.need_watermarks:
                            self._caught_up()
                if self.need_watermarks:
                    self._fetch_watermarks()
                if self.metrics.ready:
                    self.reconciler.dispatch()
                self.reconciler.collect()
                if time.monotonic() - last_commit >= 1.0:
                    self._commit()
                    last_commit = time.monotonic()
                if max_records and self.records >= max_records and self.metrics.ready and self.reconciler.idle():
                    break
                if deadline is not None and time.monotonic() > deadline:
                    self.emit("timeout", backlog=len(self.reconciler.work))
                    break
        finally:
            self._commit(force=True)
            self.reconciler.close(wait=False)
            self.consumer.close()
