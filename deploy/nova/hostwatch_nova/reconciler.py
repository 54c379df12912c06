"""Converges Nova to the latest event per host: one convergence in flight per host, failed hosts retried with
backoff on their own schedule, offsets released only once Nova reflects the event (at-least-once).

Kafka-agnostic: the service feeds it events; tests feed it directly.
"""
import collections
import concurrent.futures
import logging
import random
import threading
import time

from .nova import NovaError
from .policy import plan, FORCE_DOWN_STATES

LOG = logging.getLogger("hostwatch_nova")


class FenceFailed(NovaError):
    """The fence command failed: the host stays held and the fence is retried with the usual backoff."""


class _Work:
    __slots__ = ("event", "offsets", "attempts", "next_at", "future")

    def __init__(self, event):
        self.event = event
        self.offsets = []
        self.attempts = 0
        self.next_at = 0.0
        self.future = None


class Reconciler:
    def __init__(self, config, nova, fencer, metrics, emit, throttle=None, clock=time.time,
                 monotonic=time.monotonic, executor=None):
        self.config = config
        self.nova = nova
        self.fencer = fencer
        self.metrics = metrics
        self.emit = emit
        self.throttle = throttle
        self.clock = clock
        self.monotonic = monotonic
        self.executor = executor or concurrent.futures.ThreadPoolExecutor(config.workers,
                                                                          thread_name_prefix="converge")
        self.work = {}
        self.pending = collections.defaultdict(set)  # partition -> offsets not yet reflected in Nova
        self.high = {}  # partition -> next offset after the highest seen
        self.lock = threading.Lock()  # guards what workers share: zones, guarded, throttle, evacuated
        self.zones = {}
        self.guarded = set()  # hosts whose latest reason is MASS_FAILURE_SUSPECTED
        self.evacuated = set()  # (host, since) recovered by this process
        self.fenced = set()  # (host, since) fenced by this process: a retry after a failed PUT never fences twice

    # -- feeding -----------------------------------------------------------------------------------------------
    def seen(self, partition, offset):
        """Every record's offset passes here, usable or not."""
        self.high[partition] = max(self.high.get(partition, 0), offset + 1)

    def offer(self, event):
        """The newest event for its host replaces any older one still waiting."""
        self.seen(event.partition, event.offset)
        with self.lock:
            if event.reason == "MASS_FAILURE_SUSPECTED":
                self.guarded.add(event.host)
            else:
                self.guarded.discard(event.host)
        work = self.work.get(event.host)
        if work is None:
            work = self.work[event.host] = _Work(event)
        else:
            work.event = event
            work.attempts = 0
            work.next_at = 0.0
        work.offsets.append((event.partition, event.offset))
        self.pending[event.partition].add(event.offset)
        self.metrics.backlog.set(len(self.work))

    def drop_partitions(self, partitions):
        """After a rebalance revoked them: another instance converges those hosts now."""
        for host in [h for h, w in self.work.items() if w.event.partition in partitions]:
            del self.work[host]
        for p in partitions:
            self.pending.pop(p, None)
            self.high.pop(p, None)
        self.metrics.backlog.set(len(self.work))

    # -- running -----------------------------------------------------------------------------------------------
    def dispatch(self):
        now = self.monotonic()
        for work in self.work.values():
            if work.future is None and work.next_at <= now:
                work.future = self.executor.submit(self._converge, work.event)

    def collect(self):
        """Applies finished convergences; returns how many hosts finished this call."""
        finished = 0
        for host, work in list(self.work.items()):
            future = work.future
            if future is None or not future.done():
                continue
            work.future = None
            converged_event = None
            try:
                outcome, converged_event = future.result()
            except Exception as error:  # NovaError or anything unexpected: retry this host, never crash
                work.attempts += 1
                delay = min(self.config.retry_max_s, self.config.retry_initial_s * 2 ** (work.attempts - 1))
                delay *= random.uniform(0.8, 1.2)
                work.next_at = self.monotonic() + delay
                self.metrics.retries.inc()
                self.emit("retry", host=host, attempt=work.attempts, in_s=round(delay, 2), error=str(error))
                if not isinstance(error, NovaError):
                    LOG.exception("unexpected error converging %s", host)
                continue
            if outcome == "later":  # evacuation throttled or guarded: not an error, just not yet
                work.next_at = self.monotonic() + max(self.config.retry_initial_s, 5.0)
                continue
            # Everything up to the converged event is reflected; a newer event that came meanwhile stays.
            covered = [(p, o) for p, o in work.offsets if o <= converged_event.offset]
            for p, o in covered:
                self.pending[p].discard(o)
            work.offsets = [po for po in work.offsets if po not in covered]
            if work.event is converged_event:
                del self.work[host]
                self.metrics.convergence.set(max(0.0, self.clock() - converged_event.observed_at_ms / 1000))
            finished += 1
        self.metrics.backlog.set(len(self.work))
        return finished

    def idle(self):
        return not self.work

    def positions(self):
        """partition -> offset safe to commit (everything below it is reflected in Nova)."""
        return {p: (min(self.pending[p]) if self.pending.get(p) else high) for p, high in self.high.items()}

    def close(self, wait=True):
        self.executor.shutdown(wait=wait, cancel_futures=True)

    # -- one host, on a worker thread --------------------------------------------------------------------------
    def _converge(self, event):
        """('done'|'later', event); raises to retry."""
        host = event.host
        service = self.nova.service(host)
        if service is None:
            self.metrics.events.labels("unknown_host").inc()
            self.emit("skip", host=host, why="unknown_host", state=event.state,
                      detail="Nova has no nova-compute service for this host")
            return "done", event
        with self.lock:
            if service.zone:
                self.zones[host] = service.zone
            fenced = (host, event.since_ms) in self.fenced
        fresh = self.clock() * 1000 - event.observed_at_ms <= self.config.max_action_age_s * 1000
        decision = plan(event, service, self.config, fresh, fenced)
        dry = self.config.dry_run
        if decision.body is None and not decision.fence:
            self.emit("action", host=host, action=decision.action, why=decision.why, dry_run=dry,
                      state=event.state)
            self.metrics.actions.labels(decision.action, "noop").inc()
            return self._recover(event, service, decision, dry), event
        if dry:
            if decision.fence:
                self.emit("action", host=host, action="fence", why="would run the fence command", dry_run=True,
                          state=event.state)
            self.emit("action", host=host, action=decision.action, why=decision.why, dry_run=True,
                      body=decision.body, state=event.state)
            self.metrics.actions.labels(decision.action, "dry_run").inc()
            if hasattr(self.nova, "apply"):
                self.nova.apply(host, decision.body)
            return "done", event
        body = dict(decision.body)
        action = decision.action
        fence_failed = None
        if decision.fence:
            ok, detail = self.fencer.fence(host)
            self.metrics.actions.labels("fence", "ok" if ok else "failed").inc()
            self.emit("action", host=host, action="fence", result="ok" if ok else "failed", detail=detail,
                      dry_run=False, state=event.state)
            if ok:
                with self.lock:
                    self.fenced.add((host, event.since_ms))
            else:
                body.pop("forced_down", None)
                action = "hold"
                fence_failed = detail
                decision = decision.__class__("hold", body or None, why="fence failed: %s" % detail)
        after = self._update(host, service, body, action, decision, event) if body else service
        if fence_failed is not None:
            # The host is disabled (no new VMs) but not forced down: its VMs may still run, so nothing may be
            # evacuated. Raising keeps the event and its offset pending and retries the fence with backoff,
            # until it succeeds or a newer event for the host (e.g. RUNNING) replaces this one.
            raise FenceFailed("fence of %s failed (%s); retrying" % (host, fence_failed))
        return self._recover(event, after, decision, False), event

    def _update(self, host, service, body, action, decision, event):
        """PUTs body and reads it back; raises NovaError unless Nova reflects it."""
        try:
            self.nova.update_service(service.id, body)
            after = self.nova.service(host)
            if after is None or not _reflects(after, body):
                raise NovaError("Nova does not reflect %s for %s (read back %s)" % (body, host, after))
        except NovaError:
            self.metrics.actions.labels(action, "failed").inc()
            raise
        self.metrics.actions.labels(action, "ok").inc()
        self.emit("action", host=host, action=action, why=decision.why, dry_run=False, body=body,
                  state=event.state)
        return after

    def _recover(self, event, service, decision, dry):
        """Recovery hand-off (opt-in) once forced_down is confirmed in Nova; 'later' when throttled/guarded."""
        mode = self.config.evacuation.mode
        if mode == "off" or not decision.evacuate or not service.forced_down or event.state not in FORCE_DOWN_STATES:
            return "done"
        key = (event.host, event.since_ms)
        zone = service.zone or "default"
        with self.lock:
            if key in self.evacuated:
                return "done"
            held = [h for h in self.guarded if self.zones.get(h, "default") == zone]
            if held:
                self.emit("action", host=event.host, action="recovery-held", dry_run=dry,
                          why="mass-failure guard holds zone %s (%s)" % (zone, ", ".join(sorted(held))))
                self.metrics.actions.labels("recovery", "held").inc()
                return "later"
            if not self.throttle.admit_host(zone, event.host, self.monotonic()):
                self.emit("action", host=event.host, action="recovery-held", dry_run=dry,
                          why="max hosts per domain per hour reached in %s" % zone)
                self.metrics.actions.labels("recovery", "throttled").inc()
                return "later"
        if mode == "masakari":
            if not dry:
                self.nova.notify_masakari(event.host, self.config.evacuation.masakari_segment)
            self.emit("action", host=event.host, action="masakari-notify", dry_run=dry, why="COMPUTE_HOST STOPPED")
            self.metrics.actions.labels("masakari-notify", "dry_run" if dry else "ok").inc()
        else:
            for server in self.nova.servers_on(event.host):
                if server["task_state"]:  # already rebuilding/evacuating: never twice
                    continue
                with self.lock:
                    allowed = self.throttle.take_evacuation(self.monotonic())
                if not allowed:
                    self.metrics.actions.labels("evacuate", "throttled").inc()
                    return "later"
                if not dry:
                    self.nova.evacuate(server["id"])
                self.emit("action", host=event.host, action="evacuate", server=server["id"], dry_run=dry,
                          why="forced down: %s" % event.state)
                self.metrics.actions.labels("evacuate", "dry_run" if dry else "ok").inc()
        with self.lock:
            self.evacuated.add(key)
        return "done"


def _reflects(service, body):
    if "status" in body and service.status != body["status"]:
        return False
    if "disabled_reason" in body and service.disabled_reason != body["disabled_reason"]:
        return False
    if "forced_down" in body and service.forced_down != body["forced_down"]:
        return False
    return True
