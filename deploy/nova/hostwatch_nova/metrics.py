"""Prometheus metrics and GET /health + GET /metrics on one small HTTP server."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest, CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self):
        self.registry = CollectorRegistry()
        self.events = Counter("hostwatch_nova_events", "Host-state records read, by outcome (converge, "
                              "tombstone, or why skipped).", ["outcome"], registry=self.registry)
        self.actions = Counter("hostwatch_nova_actions", "Actions on Nova by type and result "
                               "(ok, failed, dry_run).", ["action", "result"], registry=self.registry)
        self.retries = Counter("hostwatch_nova_retries", "Host convergence attempts that failed and were "
                               "rescheduled with backoff.", registry=self.registry)
        self.backlog = Gauge("hostwatch_nova_backlog_hosts", "Hosts whose latest event Nova does not reflect "
                             "yet.", registry=self.registry)
        self.last_event_age = Gauge("hostwatch_nova_last_event_age_seconds", "Age of the newest event read, at "
                                    "the time it was read (observedAt to now).", registry=self.registry)
        self.convergence = Gauge("hostwatch_nova_last_convergence_seconds", "Event observedAt to Nova "
                                 "reflecting it, for the last converged host.", registry=self.registry)
        self.alive_at = time.monotonic()
        self.ready = False

    def health(self, stale_after_s=30):
        alive = time.monotonic() - self.alive_at < stale_after_s
        return alive and self.ready, {"alive": alive, "caught_up": self.ready,
                                      "backlog_hosts": int(self.backlog._value.get())}

    def serve(self, host, port):
        metrics = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/metrics"):
                    status, body, kind = 200, generate_latest(metrics.registry), CONTENT_TYPE_LATEST
                elif self.path.startswith("/health"):
                    ok, detail = metrics.health()
                    status, body, kind = (200 if ok else 503), json.dumps(detail).encode(), "application/json"
                else:
                    status, body, kind = 404, b"not found\n", "text/plain"
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True).start()
        return server
