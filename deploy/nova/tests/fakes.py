"""Fakes for unit tests: a Nova in memory that can fail on demand, a recording emitter, a manual clock."""
import threading

from hostwatch_nova.events import HostEvent
from hostwatch_nova.nova import NovaError
from hostwatch_nova.policy import ServiceView

NOW_MS = 1_800_000_000_000


def event(host="h1", state="DEAD", reason="HARDWARE_FAILURE_OR_SHUTDOWN", offset=0, partition=0, age_s=1,
          since_ms=None):
    observed = NOW_MS - int(age_s * 1000)
    return HostEvent(host=host, state=state, reason=reason, conditions=(), since_ms=since_ms or observed,
                     observed_at_ms=observed, partition=partition, offset=offset)


class FakeNova:
    def __init__(self):
        self.services = {}
        self.updates = []
        self.fail_updates = 0
        self.fail_reads = 0
        self.evacuated = []
        self.servers = {}
        self.rebuilding = set()
        self.lock = threading.Lock()

    def add(self, host, status="enabled", reason=None, forced_down=False, zone="az-1"):
        self.services[host] = ServiceView(id="id-" + host, host=host, status=status, disabled_reason=reason,
                                          forced_down=forced_down, zone=zone)

    def service(self, host):
        with self.lock:
            if self.fail_reads:
                self.fail_reads -= 1
                raise NovaError("connection refused")
            return self.services.get(host)

    def update_service(self, service_id, body):
        with self.lock:
            if self.fail_updates:
                self.fail_updates -= 1
                raise NovaError("HTTP 503")
            if not body:
                raise NovaError("HTTP 400 No updates were requested")
            host = service_id[3:]
            s = self.services[host]
            status = body.get("status", s.status)
            reason = body.get("disabled_reason", s.disabled_reason) if status == "disabled" else None
            self.services[host] = ServiceView(id=s.id, host=host, status=status, disabled_reason=reason,
                                              forced_down=body.get("forced_down", s.forced_down), zone=s.zone)
            self.updates.append((host, dict(body)))

    def servers_on(self, host):
        return [{"id": sid, "task_state": "rebuilding" if sid in self.rebuilding else None}
                for sid in self.servers.get(host, []) if sid not in self.evacuated]

    def evacuate(self, server_id):
        self.evacuated.append(server_id)

    def notify_masakari(self, host, segment=""):
        self.evacuated.append("masakari:" + host)


class Recorder:
    def __init__(self):
        self.lines = []

    def __call__(self, kind, **fields):
        fields["type"] = kind
        self.lines.append(fields)

    def actions(self):
        return [(l["host"], l["action"]) for l in self.lines if l["type"] == "action"]
