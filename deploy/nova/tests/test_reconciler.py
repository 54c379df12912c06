import concurrent.futures
import time

from hostwatch_nova import config
from hostwatch_nova.evacuation import Throttle
from hostwatch_nova.fencing import Fencer
from hostwatch_nova.metrics import Metrics
from hostwatch_nova.reconciler import Reconciler
from tests.fakes import NOW_MS, FakeNova, Recorder, event


class Clock:
    def __init__(self):
        self.mono = 0.0

    def wall(self):
        return NOW_MS / 1000

    def monotonic(self):
        return self.mono


def make(text="[actions]\ndry_run = false\nretry_initial_s = 1\n", nova=None):
    cfg = config.parse(text)
    nova = nova or FakeNova()
    clock = Clock()
    out = Recorder()
    rec = Reconciler(cfg, nova, Fencer(cfg.fence_command, 5, cfg.dry_run), Metrics(), out,
                     Throttle(cfg.evacuation.max_hosts_per_domain_per_hour,
                              cfg.evacuation.max_evacuations_per_minute),
                     clock=clock.wall, monotonic=clock.monotonic,
                     executor=concurrent.futures.ThreadPoolExecutor(2))
    return rec, nova, clock, out


def settle(rec, timeout=5):
    """dispatch + collect until nothing is in flight (bounded)."""
    deadline = time.monotonic() + timeout
    rec.dispatch()
    while any(w.future is not None for w in rec.work.values()):
        assert time.monotonic() < deadline, "convergence did not finish"
        time.sleep(0.01)
        rec.collect()


def test_should_commit_only_after_nova_reflects_the_event_and_retry_with_backoff():
    # given: Nova fails the first two updates
    rec, nova, clock, out = make()
    nova.add("h1")
    nova.fail_updates = 2
    rec.offer(event("h1", offset=7))
    # when
    settle(rec)
    # then: not reflected, offset 7 still pending, retried later
    assert rec.positions() == {0: 7} and not rec.idle()
    settle(rec)
    assert nova.updates == [], "retry must wait for its backoff"
    clock.mono += 1.3
    settle(rec)
    clock.mono += 2.5
    settle(rec)
    assert nova.services["h1"].forced_down is True
    assert rec.positions() == {0: 8} and rec.idle()
    assert sum(1 for l in out.lines if l["type"] == "retry") == 2


def test_should_not_block_other_hosts_while_one_is_failing():
    rec, nova, clock, out = make()
    nova.add("h2")  # h1 unknown to the fake -> converged as skip; make h3 fail instead
    nova.add("h3")
    rec.offer(event("h3", offset=1))
    nova.fail_updates = 1
    settle(rec)
    rec.offer(event("h2", offset=2))
    settle(rec)
    assert nova.services["h2"].forced_down and not nova.services["h3"].forced_down
    assert rec.positions() == {0: 1}


def test_should_converge_to_the_newest_event_when_one_supersedes_a_waiting_one():
    rec, nova, clock, out = make()
    nova.add("h1")
    rec.offer(event("h1", offset=1))
    rec.offer(event("h1", state="RUNNING", reason="RECOVERED", offset=2))
    settle(rec)
    assert nova.updates == [] and rec.positions() == {0: 3}


def test_should_skip_a_host_nova_does_not_know_and_release_its_offset():
    rec, nova, clock, out = make()
    rec.offer(event("ghost", offset=4))
    settle(rec)
    assert rec.idle() and rec.positions() == {0: 5}
    assert out.lines[0]["why"] == "unknown_host"


def test_should_never_fence_or_update_in_dry_run(tmp_path):
    marker = tmp_path / "fenced"
    rec, nova, clock, out = make("[actions]\nfence_command = touch %s\n" % marker)
    nova.add("h1")
    rec.offer(event("h1", state="ISOLATED", reason="NETWORK_UNREACHABLE"))
    settle(rec)
    assert not marker.exists() and nova.updates == []
    assert ("h1", "fence") in out.actions() and ("h1", "force-down") in out.actions()
    assert all(l.get("dry_run") for l in out.lines if l["type"] == "action")


def test_should_hold_isolated_and_keep_its_offset_when_the_fence_fails():
    rec, nova, clock, out = make("[actions]\ndry_run = false\nfence_command = /bin/false {host}\n")
    nova.add("h1")
    rec.offer(event("h1", state="ISOLATED", reason="NETWORK_UNREACHABLE", offset=3))
    settle(rec)
    assert nova.services["h1"].forced_down is False and nova.services["h1"].status == "disabled"
    assert ("h1", "hold") in out.actions()
    # then: not done: the offset stays pending and a retry is scheduled
    assert not rec.idle() and rec.positions() == {0: 3}
    assert [l["type"] for l in out.lines][-1] == "retry"


def test_should_retry_a_failed_fence_until_it_succeeds_then_force_down(tmp_path):
    # given: a fence command that fails until the file "ok" exists
    log, ok = tmp_path / "fence.log", tmp_path / "ok"
    rec, nova, clock, out = make("[actions]\ndry_run = false\nretry_initial_s = 1\n"
                                 "fence_command = sh -c 'echo {host} >> %s; test -e %s'\n" % (log, ok))
    nova.add("h1")
    rec.offer(event("h1", state="ISOLATED", reason="NETWORK_UNREACHABLE", offset=5))
    settle(rec)
    clock.mono += 1.3
    settle(rec)
    assert log.read_text().split() == ["h1", "h1"] and nova.services["h1"].forced_down is False
    # when: the fence works again
    ok.touch()
    clock.mono += 2.5
    settle(rec)
    # then
    assert nova.services["h1"].forced_down is True
    assert log.read_text().split() == ["h1", "h1", "h1"]
    assert rec.idle() and rec.positions() == {0: 6}


def test_should_stop_retrying_the_fence_when_the_host_comes_back(tmp_path):
    log = tmp_path / "fence.log"
    rec, nova, clock, out = make("[actions]\ndry_run = false\nfence_command = sh -c 'echo {host} >> %s; exit 1'\n"
                                 % log)
    nova.add("h1")
    rec.offer(event("h1", state="ISOLATED", reason="NETWORK_UNREACHABLE", offset=1))
    settle(rec)
    # when: the host recovers before the next attempt
    rec.offer(event("h1", state="RUNNING", reason="RECOVERED", offset=2))
    clock.mono += 100
    settle(rec)
    # then: no further fence; the hold is lifted
    assert log.read_text().split() == ["h1"]
    assert nova.services["h1"].status == "enabled" and rec.idle() and rec.positions() == {0: 3}


def test_should_fence_once_even_when_the_put_after_it_fails(tmp_path):
    log = tmp_path / "fence.log"
    rec, nova, clock, out = make("[actions]\ndry_run = false\nfence_command = sh -c 'echo {host} >> %s'\n" % log)
    nova.add("h1")
    nova.fail_updates = 1
    rec.offer(event("h1", state="ISOLATED", reason="NETWORK_UNREACHABLE"))
    settle(rec)
    clock.mono += 5
    settle(rec)
    assert nova.services["h1"].forced_down is True
    assert log.read_text().split() == ["h1"]


def test_should_evacuate_once_within_the_throttle_and_hold_the_guarded_zone():
    text = ("[actions]\ndry_run = false\n[evacuation]\nmode = evacuate\nmax_hosts_per_domain_per_hour = 1\n"
            "max_evacuations_per_minute = 10\n")
    rec, nova, clock, out = make(text)
    for h in ("h1", "h2", "h3"):
        nova.add(h, zone="az-1")
    nova.add("h9", zone="az-2")
    nova.servers = {"h1": ["s1", "s2"], "h2": ["s3"], "h9": ["s9"]}
    # when: two hosts of az-1 die; one host of az-2 is under the mass-failure guard
    rec.offer(event("h1", offset=1))
    settle(rec)
    rec.offer(event("h2", offset=2))
    rec.offer(event("h8", state="UNKNOWN", reason="MASS_FAILURE_SUSPECTED", offset=3))
    nova.add("h8", zone="az-2")
    settle(rec)
    rec.offer(event("h9", offset=4))
    settle(rec)
    # then: h1's instances evacuated once, h2 throttled (1 host/hour in az-1), h9 held by the guard
    assert nova.evacuated == ["s1", "s2"]
    held = [l for l in out.lines if l.get("action") == "recovery-held"]
    assert {l["host"] for l in held} == {"h2", "h9"}
    assert nova.services["h2"].forced_down and nova.services["h9"].forced_down
    assert not rec.idle()


def test_should_release_only_the_offsets_of_the_event_nova_reflects_when_a_newer_one_arrives_mid_flight():
    # given: a DEAD being converged
    rec, nova, clock, out = make()
    nova.add("h1")
    rec.offer(event("h1", offset=3))
    rec.dispatch()
    # when: RUNNING arrives before that convergence is collected
    rec.offer(event("h1", state="RUNNING", reason="RECOVERED", offset=5))
    await_done = time.monotonic() + 5
    while not rec.work["h1"].future.done():
        assert time.monotonic() < await_done
        time.sleep(0.01)
    rec.collect()
    # then: offset 3 is released, 5 is not until the lift is reflected
    assert rec.positions() == {0: 5} and not rec.idle()
    settle(rec)
    assert rec.positions() == {0: 6} and nova.services["h1"].forced_down is False


def test_should_never_evacuate_an_instance_that_is_already_rebuilding():
    rec, nova, clock, out = make("[actions]\ndry_run = false\n[evacuation]\nmode = evacuate\n")
    nova.add("h1")
    nova.servers = {"h1": ["s1", "s2"]}
    nova.rebuilding = {"s1"}
    rec.offer(event("h1"))
    settle(rec)
    assert nova.evacuated == ["s2"] and rec.idle()


def test_should_notify_masakari_instead_of_evacuating_when_configured():
    rec, nova, clock, out = make("[actions]\ndry_run = false\n[evacuation]\nmode = masakari\n")
    nova.add("h1")
    nova.servers = {"h1": ["s1"]}
    rec.offer(event("h1"))
    settle(rec)
    assert nova.evacuated == ["masakari:h1"] and ("h1", "masakari-notify") in out.actions()


def test_should_send_the_documented_masakari_notification():
    from hostwatch_nova.nova import Nova

    class Ha:
        def create_notification(self, **fields):
            self.fields = fields

    class Conn:
        compute = None
        instance_ha = Ha()

    Nova(Conn()).notify_masakari("h1")
    f = Conn.instance_ha.fields
    assert (f["type"], f["hostname"], f["payload"]["event"]) == ("COMPUTE_HOST", "h1", "STOPPED")
